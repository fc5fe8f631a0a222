#!/usr/bin/env bash
# bench/compare-queue.sh: Packline's durable queue and BullMQ side by side, on ONE redis-server
# (loopback, no persistence) started here, with the same job count and concurrency, alternating
# packline, bullmq, packline, bullmq, ... Prints each run's JSON line, then one summary line with
# the medians and the ratio packline processPerSec / bullmq processPerSec, and that ratio per round
# (each Packline run against the BullMQ run after it) with its median.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BULLMQ_DIR="$ROOT/bench/bullmq"
PACKLINE="${PACKLINE:-$ROOT/bin/packline}"
EMBEDDED_JAR="$HOME/.m2/repository/com/github/codemonstur/embedded-redis/1.4.3/embedded-redis-1.4.3.jar"
EMBEDDED_BIN="redis-server-6.2.6-v5-linux-amd64"

JOBS="${JOBS:-100000}"
CONCURRENCY="${CONCURRENCY:-100}"
ROUNDS="${ROUNDS:-2}"
RUN_TIMEOUT="${RUN_TIMEOUT:-600}"
BULLMQ_ARGS=""
PACKLINE_ARGS=""

usage() {
  cat <<'USAGE'
Usage: bench/compare-queue.sh [--jobs N] [--concurrency C] [--rounds R] [--bullmq-args "ARGS"] [--packline-args "ARGS"]
Starts one redis-server on a free 127.0.0.1 port (save "", appendonly no), then runs against it
  bin/packline bench queue --redis URL --jobs N --concurrency C
  node bench/bullmq/bench.mjs --redis URL --jobs N --concurrency C
alternating, R rounds of each (packline first). Prints every JSON line and a summary line with
the medians and packline processPerSec / bullmq processPerSec, also per round
(processRatioPerRound) and the median of those. Stops the server on exit.
  --jobs N           jobs in the throughput phase (default 100000; env JOBS)
  --concurrency C    worker concurrency for both (default 100; env CONCURRENCY)
  --rounds R         rounds, each one packline run then one bullmq run (default 2; env ROUNDS)
  --bullmq-args A    extra arguments for bench.mjs only, e.g. "--keep-done 0" (see its --help)
  --packline-args A  extra arguments for bench queue only, e.g. "--groups 1000" (priorities and groups on)
Uses the redis-server named by REDIS_SERVER=/path if set, else the one on PATH if there is one,
else the linux-amd64 binary (6.2) inside the embedded-redis jar in ~/.m2 (there after
'bin/packline build'). The issue's BullMQ figure was taken on Redis 7; on Debian 12,
'apt-get install redis-server' gives 7.0 (docs/benchmarks-queue.md has figures on both). Runs 'npm ci' in bench/bullmq
when its node_modules is missing. Each run is cut off after RUN_TIMEOUT seconds (default 600).
PACKLINE=/path/to/bin/packline runs Packline's side from another checkout (e.g. a clean clone of
a commit, so that edits in this tree cannot trigger a rebuild between runs).
USAGE
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --jobs) JOBS="${2:?--jobs needs a value}"; shift 2 ;;
    --concurrency) CONCURRENCY="${2:?--concurrency needs a value}"; shift 2 ;;
    --rounds) ROUNDS="${2:?--rounds needs a value}"; shift 2 ;;
    --bullmq-args) BULLMQ_ARGS="${2?--bullmq-args needs a value}"; shift 2 ;;
    --packline-args) PACKLINE_ARGS="${2?--packline-args needs a value}"; shift 2 ;;
    *) echo "compare-queue: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
for v in JOBS CONCURRENCY ROUNDS RUN_TIMEOUT; do
  [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || { echo "compare-queue: $v must be a positive whole number, got '${!v}'" >&2; exit 2; }
done

log() { echo "compare-queue: $*" >&2; }

command -v node >/dev/null 2>&1 || { log "node is not on PATH (BullMQ's side needs Node.js 20+)"; exit 1; }
command -v npm >/dev/null 2>&1 || { log "npm is not on PATH"; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/compare-queue.XXXXXX")"
REDIS_PID=""
cleanup() {
  if [[ -n "$REDIS_PID" ]] && kill -0 "$REDIS_PID" 2>/dev/null; then
    kill "$REDIS_PID" 2>/dev/null || true
    wait "$REDIS_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Build Packline first (the launcher rebuilds when sources changed) so no build lands inside a run,
# and so the embedded-redis jar is in ~/.m2.
log "checking the Packline build..."
"$PACKLINE" bench queue --help >/dev/null

if [[ ! -d "$BULLMQ_DIR/node_modules" ]]; then
  log "installing BullMQ's side (npm ci in bench/bullmq)..."
  # The lock file lists every platform's optional msgpackr-extract build, so npm ci accepts it;
  # should a registry mirror lack them, npm install --no-save installs the same locked versions
  # and leaves the lock file alone.
  if ! (cd "$BULLMQ_DIR" && npm ci --no-audit --no-fund >&2); then
    log "npm ci failed; installing the locked versions with npm install --no-save"
    (cd "$BULLMQ_DIR" && npm install --no-save --no-audit --no-fund >&2)
  fi
fi

if [[ -n "${REDIS_SERVER:-}" ]]; then
  [[ -x "$REDIS_SERVER" ]] || { log "REDIS_SERVER=$REDIS_SERVER is not an executable file"; exit 1; }
elif command -v redis-server >/dev/null 2>&1; then
  REDIS_SERVER="$(command -v redis-server)"
else
  [[ -f "$EMBEDDED_JAR" ]] || { log "no redis-server on PATH and no $EMBEDDED_JAR (run 'bin/packline build')"; exit 1; }
  (cd "$WORK" && unzip -q -o "$EMBEDDED_JAR" "$EMBEDDED_BIN")
  REDIS_SERVER="$WORK/$EMBEDDED_BIN"
  chmod +x "$REDIS_SERVER"
fi

# resp HOST PORT COMMAND...: one inline command over bash's /dev/tcp, prints the raw reply
resp() {
  local port="$1"; shift
  local reply="" line len
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
  printf '%s\r\n' "$*" >&3
  IFS= read -r -t 5 line <&3 || { exec 3<&-; return 1; }
  line="${line%$'\r'}"
  if [[ "$line" == \$* ]]; then
    len="${line#\$}"
    (( len >= 0 )) && reply="$(head -c "$len" <&3)"
  else
    reply="$line"
  fi
  exec 3<&- 3>&-
  printf '%s\n' "$reply"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

PORT=""
for _ in $(seq 1 20); do
  candidate=$(( 20000 + RANDOM % 30000 ))
  port_in_use "$candidate" && continue
  "$REDIS_SERVER" --port "$candidate" --bind 127.0.0.1 --protected-mode yes --save "" --appendonly no \
    --dir "$WORK" --logfile "$WORK/redis.log" --daemonize no &
  REDIS_PID=$!
  for _ in $(seq 1 50); do
    [[ "$(resp "$candidate" PING 2>/dev/null)" == "+PONG" ]] && { PORT="$candidate"; break; }
    kill -0 "$REDIS_PID" 2>/dev/null || break
    sleep 0.1
  done
  [[ -n "$PORT" ]] && break
  kill "$REDIS_PID" 2>/dev/null || true; wait "$REDIS_PID" 2>/dev/null || true; REDIS_PID=""
done
[[ -n "$PORT" ]] || { log "could not start redis-server on a free loopback port"; cat "$WORK/redis.log" >&2 2>/dev/null || true; exit 1; }
URL="redis://127.0.0.1:$PORT"
REDIS_VERSION="$(resp "$PORT" INFO server | tr -d '\r' | sed -n 's/^redis_version://p')"
log "redis-server $REDIS_VERSION ($REDIS_SERVER) on $URL, save \"\", appendonly no"
log "jobs=$JOBS concurrency=$CONCURRENCY rounds=$ROUNDS; $(nproc) cores; node $(node --version); JDK $("$PACKLINE" jdk); launcher $PACKLINE"
PACKLINE_COMMIT="$(git -C "$(dirname "$PACKLINE")/.." describe --always --dirty --abbrev=7 2>/dev/null || echo unknown)"
log "packline checkout $(dirname "$(dirname "$PACKLINE")") at commit $PACKLINE_COMMIT"

# CPU accounting, to tell whether something else was running during a run (the machine has
# 2 cores): jiffies busy on the whole machine, and used by this script's children and redis-server.
machine_busy() { local _ u n s idle io irq sirq steal; read -r _ u n s idle io irq sirq steal _ < /proc/stat; echo $(( u + n + s + irq + sirq + steal )); }
children_cpu() { local f; f=($(sed 's/^.*) //' /proc/$$/stat)); echo $(( f[13] + f[14] )); }
redis_cpu() { local f; f=($(sed 's/^.*) //' "/proc/$REDIS_PID/stat")); echo $(( f[11] + f[12] )); }

RESULTS="$WORK/results.jsonl"
: > "$RESULTS"
run_one() { # run_one SYSTEM: runs one bench, prints its JSON line and records it
  local system="$1" out
  log "round $round: $system..."
  local busy0 own0 redis0 t0
  busy0=$(machine_busy); own0=$(children_cpu); redis0=$(redis_cpu); t0=$(date +%s%N)
  if [[ "$system" == packline ]]; then
    out="$(timeout "$RUN_TIMEOUT" "$PACKLINE" bench queue --redis "$URL" --jobs "$JOBS" --concurrency "$CONCURRENCY" ${PACKLINE_ARGS:-})"
  else
    # shellcheck disable=SC2086 # BULLMQ_ARGS is a list of words on purpose
    out="$(cd "$BULLMQ_DIR" && timeout "$RUN_TIMEOUT" node bench.mjs --redis "$URL" --jobs "$JOBS" --concurrency "$CONCURRENCY" $BULLMQ_ARGS)"
  fi
  local busy own redis ticks hz
  busy=$(( $(machine_busy) - busy0 )); own=$(( $(children_cpu) - own0 )); redis=$(( $(redis_cpu) - redis0 ))
  hz=$(getconf CLK_TCK); ticks=$(( ($(date +%s%N) - t0) * hz / 1000000000 ))
  log "$system: $(awk -v b="$busy" -v o="$own" -v r="$redis" -v t="$ticks" -v hz="$hz" 'BEGIN { printf "%.1f s; CPU of the bench %.2f cores, redis-server %.2f, anything else %.2f (of 2)", t/hz, o/t, r/t, (b-o-r)/t }')"
  out="$(printf '%s\n' "$out" | grep '^{' | tail -n1)"
  [[ -n "$out" ]] || { log "$system printed no JSON line"; exit 1; }
  [[ "$system" == packline ]] && out="{\"system\":\"packline\",${out#\{}"
  printf '%s\n' "$out" | tee -a "$RESULTS"
  log "keys left in Redis after $system: $(resp "$PORT" DBSIZE | tr -d ':\r')"
}

for round in $(seq 1 "$ROUNDS"); do
  run_one packline
  run_one bullmq
done

RESULTS="$RESULTS" REDIS_VERSION="$REDIS_VERSION" node --input-type=module -e '
import { readFileSync } from "node:fs";
const rows = readFileSync(process.env.RESULTS, "utf8").trim().split("\n").map(l => JSON.parse(l));
const median = xs => { const s = [...xs].sort((a, b) => a - b), m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const of = (sys, f) => median(rows.filter(r => r.system === sys).map(r => r[f]));
const p = f => of("packline", f), b = f => of("bullmq", f);
const bull = rows.find(r => r.system === "bullmq");
const runs = sys => rows.filter(r => r.system === sys).map(r => r.processPerSec);
const pairs = runs("bullmq").map((rate, i) => runs("packline")[i] / rate);
console.log(JSON.stringify({
  summary: "median of " + rows.filter(r => r.system === "bullmq").length + " rounds",
  jobs: bull.jobs, concurrency: bull.concurrency, redisVersion: process.env.REDIS_VERSION, bullmq: bull.version,
  packlineProcessPerSec: p("processPerSec"), bullmqProcessPerSec: b("processPerSec"),
  processRatio: Math.round(p("processPerSec") / b("processPerSec") * 100) / 100,
  // each round pairs a Packline run with the BullMQ run right after it: the spread of these is what
  // the medians hide (on 2026-12-06 one idle machine gave per-round ratios from 1.74x to 3.24x)
  processRatioPerRound: pairs.map(r => Math.round(r * 100) / 100),
  processRatioMedianOfRounds: Math.round(median(pairs) * 100) / 100,
  packlineEnqueuePerSec: p("enqueuePerSec"), bullmqEnqueuePerSec: b("enqueuePerSec"),
  enqueueRatio: Math.round(p("enqueuePerSec") / b("enqueuePerSec") * 100) / 100,
  packlineP50Ms: p("p50Ms"), bullmqP50Ms: b("p50Ms"), packlineP99Ms: p("p99Ms"), bullmqP99Ms: b("p99Ms"),
}));
'
