#!/usr/bin/env bash
# bench/startup.sh [--apk APK] [--runs N]: `bin/packline bench startup`. Wall time of CLI calls through
# the launcher with and without the AOT class caches (aot/*.aot, bin/packline aot), side by side:
#   --help          bin/packline admin --help (JVM start, class loading, usage)
#   channel read    bin/packline channel read APK (default: the sample app of packaging/src/fixtures)
#   admin queues    bin/packline admin --redis URL queues, on a running Redis
#   queue 50k       bench queue --jobs 50000: jobs/s of a fresh JVM's first seconds (the whole run
#                   lasts well under 10 s, so it is all warm-up: the cold start the cache attacks)
# Each CLI figure is the median of N runs (default 5), alternating with and without the cache. The
# Redis comes from bin/packline api on an embedded one (the launcher's usual local Redis), started
# before and stopped after. Prints one JSON line on stdout and a table on stderr.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
P="$ROOT/bin/packline"
APK="$ROOT/packaging/src/fixtures/sample-app/base-min21-target29.apk"
RUNS=5
while [[ $# -gt 0 ]]; do
  case "$1" in
    --apk) APK="${2:?--apk needs a file}"; shift 2 ;;
    --runs) RUNS="${2:?--runs needs a number}"; shift 2 ;;
    --help) sed -n '2,11s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "bench startup: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[[ -f "$APK" ]] || { echo "bench startup: no APK at $APK (--apk APK)" >&2; exit 2; }
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "bench startup: --runs takes a positive whole number" >&2; exit 2; }
missing=()
for main in AdminMain ChannelCommand QueueBenchmark; do [[ -f "$ROOT/aot/$main.aot" ]] || missing+=("$main"); done
(( ${#missing[@]} == 0 )) || { echo "bench startup: no aot/{${missing[*]}}.aot: run bin/packline aot first" >&2; exit 2; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/packline-bench-startup.XXXXXX")"
api=""
cleanup() { [[ -n "$api" ]] && { kill -TERM "$api" 2>/dev/null; wait "$api" 2>/dev/null || true; }; rm -rf "$WORK"; }
trap cleanup EXIT

(cd "$WORK" && PACKLINE_AOT=0 exec "$P" api --config "$ROOT/config/api.yml" --port 0 > "$WORK/api.log" 2>&1) & api=$!
for ((i = 0; i < 600; i++)); do grep -q "producer API listening" "$WORK/api.log" 2>/dev/null && break; sleep 0.2; done
redis=$(sed -n 's/.*started an embedded one at \(redis:\/\/[0-9.:]*\).*/\1/p' "$WORK/api.log" | head -n1)
[[ -n "$redis" ]] || { echo "bench startup: the API's embedded Redis did not come up:" >&2; cat "$WORK/api.log" >&2; exit 1; }

wall() { # wall AOT CMD...: seconds the command took (its output dropped; a failure other than channel read's 10 counts)
  local start status=0
  start=$EPOCHREALTIME
  PACKLINE_AOT=$1 "${@:2}" > /dev/null 2>&1 || status=$?
  (( status == 0 || status == 10 )) || { echo "bench startup: '${*:2}' exited $status" >&2; exit 1; }
  echo "$EPOCHREALTIME - $start" | awk '{ split($0, a, " - "); printf "%.3f\n", a[1] - a[2] }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

declare -A result
measure() { # measure NAME CMD...
  local aot runs
  for aot in 0 1; do : > "$WORK/$1.$aot"; done
  for ((r = 0; r < RUNS; r++)); do
    for aot in 0 1; do wall "$aot" "${@:2}" >> "$WORK/$1.$aot"; done
  done
  for aot in 0 1; do result[$1.$aot]=$(median < "$WORK/$1.$aot"); done
}

measure help "$P" admin --help
measure channel_read "$P" channel read "$APK"
measure admin_queues "$P" admin --redis "$redis" queues

for aot in 0 1; do
  PACKLINE_AOT=$aot "$P" bench queue --redis "$redis" --jobs 50000 --latency-jobs 1 > "$WORK/queue.$aot" 2>/dev/null
  result[queue.$aot]=$(sed -n 's/.*"processPerSec":\([0-9.]*\).*/\1/p' "$WORK/queue.$aot")
done

load=$(cut -d' ' -f1-3 /proc/loadavg)
printf '{"bench":"startup","runs":%d,"helpSec":{"noCache":%s,"cache":%s},"channelReadSec":{"noCache":%s,"cache":%s},"adminQueuesSec":{"noCache":%s,"cache":%s},"queue50kProcessPerSec":{"noCache":%s,"cache":%s},"loadAverage":"%s"}\n' \
  "$RUNS" "${result[help.0]}" "${result[help.1]}" "${result[channel_read.0]}" "${result[channel_read.1]}" \
  "${result[admin_queues.0]}" "${result[admin_queues.1]}" "${result[queue.0]:-null}" "${result[queue.1]:-null}" "$load"
{
  printf '%-34s %12s %12s\n' "median of $RUNS" "no cache" "AOT cache"
  printf '%-34s %11ss %11ss\n' "admin --help" "${result[help.0]}" "${result[help.1]}"
  printf '%-34s %11ss %11ss\n' "channel read" "${result[channel_read.0]}" "${result[channel_read.1]}"
  printf '%-34s %11ss %11ss\n' "admin queues" "${result[admin_queues.0]}" "${result[admin_queues.1]}"
  printf '%-34s %12s %12s\n' "bench queue 50k jobs, jobs/s" "${result[queue.0]:-?}" "${result[queue.1]:-?}"
  printf 'load average %s\n' "$load"
} >&2
