#!/usr/bin/env bash
# deploy/release/aot-train.sh HOME SAMPLE_APK [--bench]: makes HOME/aot/MAIN.aot, the JDK 25 AOT class
# caches (JEP 483/514) that HOME/bin/packline uses, by one training run of each entry point through
# that launcher (PACKLINE_AOT_TRAIN=1 makes it add -XX:AOTCacheOutput=aot/MAIN.aot). HOME is a release
# build being made (make-dist.sh) or a built checkout (bin/packline aot). The entry points, and what
# each training run does:
#   ApiMain        bin/packline api on an embedded Redis (which also serves the runs below), until SIGTERM
#   WorkerMain     bin/packline worker on that Redis until it serves its queues, then SIGTERM
#   AdminMain      bin/packline admin queues on that Redis
#   ChannelCommand bin/packline channel inspect SAMPLE_APK
#   DiffCommand    bin/packline diff make --format bsdiff-gz on a generated pair of 200 KB JS bundles
#   QueueBenchmark (--bench only, for bench startup) bench queue --jobs 20000 --latency-jobs 500
# update-api and the console start rarely and stay up; they get no cache (their start-up is once a
# deployment). A cache holds the classes as loaded from the jars on the training run's classpath;
# the JVM's own check does not notice every rebuilt jar, so in a checkout the launcher leaves out a
# cache older than its module's jars, and bin/packline aot retrains.
set -euo pipefail

HOME_DIR="$(cd "${1:?usage: aot-train.sh HOME SAMPLE_APK [--bench]}" && pwd)"
SAMPLE="${2:?usage: aot-train.sh HOME SAMPLE_APK [--bench]}"
BENCH=0; [[ "${3:-}" == "--bench" ]] && BENCH=1
LAUNCHER="$HOME_DIR/bin/packline"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/packline-aot.XXXXXX")"
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

mkdir -p "$HOME_DIR/aot"
rm -f "$HOME_DIR"/aot/*.aot
train() { PACKLINE_AOT_TRAIN=1 "$LAUNCHER" "$@"; }

await_line() { # await_line FILE TEXT PID: waits up to 120 s for TEXT in FILE, failing when PID exits
  local i
  for ((i = 0; i < 1200; i++)); do
    grep -q -- "$2" "$1" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || { echo "aot-train: the training process ended before logging '$2'; its output:" >&2; cat "$1" >&2; return 1; }
    sleep 0.1
  done
  echo "aot-train: no '$2' in $1 within 120 s" >&2
  return 1
}

stop() { # stop PID NAME: SIGTERM, and the exit status must be 0 (the cache is written as the JVM exits)
  kill -TERM "$1"
  wait "$1" || { echo "aot-train: the $2 training run exited with status $?" >&2; return 1; }
}

started=$SECONDS
echo "aot-train: training runs for $HOME_DIR/aot/" >&2

# the API first: without --redis it starts an embedded Redis, the pipeline's queues in it
(cd "$WORK" && exec env PACKLINE_AOT_TRAIN=1 "$LAUNCHER" api --config "$HOME_DIR/config/api.yml" --port 0 > "$WORK/api.log" 2>&1) & api=$!; pids+=("$api")
await_line "$WORK/api.log" "producer API listening" "$api"
redis=$(sed -n 's/.*started an embedded one at \(redis:\/\/[0-9.:]*\).*/\1/p' "$WORK/api.log" | head -n1)
[[ -n "$redis" ]] || { echo "aot-train: the API did not say where its embedded Redis is" >&2; cat "$WORK/api.log" >&2; exit 1; }

(cd "$WORK" && exec env PACKLINE_AOT_TRAIN=1 "$LAUNCHER" worker --config "$HOME_DIR/config/worker.yml" --redis "$redis" --metrics-port 0 \
  > "$WORK/worker.log" 2>&1) & worker=$!; pids+=("$worker")

train admin --redis "$redis" queues > "$WORK/admin.log" 2>&1

train channel inspect "$SAMPLE" > "$WORK/channel.log" 2>&1

# two releases of a JS bundle: the second changes a tenth of the first's lines
for ((i = 0; i < 4000; i++)); do echo "export function f$i(a, b) { return a * $i + b - $((i % 97)); } // release one"; done > "$WORK/old.js"
sed '0~10 s/release one/release two/' "$WORK/old.js" > "$WORK/new.js"
train diff make --old "$WORK/old.js" --new "$WORK/new.js" --out "$WORK/patch.bsdiff-gz" --format bsdiff-gz > "$WORK/diff.log" 2>&1

await_line "$WORK/worker.log" "metrics on" "$worker"
stop "$worker" worker
if (( BENCH )); then
  train bench queue --redis "$redis" --jobs 20000 --latency-jobs 500 > "$WORK/bench.log" 2>&1
fi
stop "$api" api
pids=()

ls "$HOME_DIR"/aot/*.aot > /dev/null
echo "aot-train: $(ls "$HOME_DIR"/aot/*.aot | wc -l) caches, $(du -sm "$HOME_DIR/aot" | cut -f1) MB, in $((SECONDS - started)) s" >&2
