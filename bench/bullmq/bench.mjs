#!/usr/bin/env node
// BullMQ side of bench/compare-queue.sh: the same phases as `bin/packline bench queue`, on the
// same Redis, printing one JSON line with the same field names plus "system" and "version".
//
//   phase 1  addBulk N no-op jobs in batches (enqueuePerSec), then one Worker with concurrency C
//            processes them (processPerSec, from creating the worker to the last 'completed')
//   phase 2  a producer adds jobs at a steady rate (rate/100 jobs every 10 ms, like ours) while an
//            idle worker waits; latency = processor start (Date.now()) - job.timestamp -> p50Ms, p99Ms
//   --priorities  job i gets BullMQ's priority 1 + (i mod 3) (three levels, BullMQ's prioritized set):
//            the nearest open-source BullMQ has to Packline's --groups (levels and fair groups);
//            BullMQ's groups are a paid feature (BullMQ Pro), so no group is set
//
// Finished jobs are kept bounded like Packline's bench retention (1,000 done, 1,000 dead):
// removeOnComplete/removeOnFail {count: 1000} on the workers. The queue is obliterated at the end.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';

const here = dirname(fileURLToPath(import.meta.url));
const versionOf = pkg => JSON.parse(readFileSync(join(here, 'node_modules', pkg, 'package.json'), 'utf8')).version;

const USAGE = `Usage: node bench.mjs [--redis URL] [--jobs N] [--concurrency C] [--batch B]
                     [--latency-jobs N] [--latency-rate PER_SEC] [--keep-done K] [--timeout SEC] [--priorities]
Runs no-op jobs through BullMQ (Queue.addBulk, Worker) and prints one JSON line:
enqueuePerSec, processPerSec, p50Ms, p99Ms (the fields of 'bin/packline bench queue').
  --redis URL         redis://host:port (default redis://127.0.0.1:6379)
  --jobs N            jobs for the throughput phase (default 100000)
  --concurrency C     Worker concurrency (default 100)
  --batch B           jobs per addBulk call (default 1000)
  --latency-jobs N    jobs for the enqueue-to-start latency phase (default 5000)
  --latency-rate R    jobs per second offered in the latency phase (default 1000)
  --keep-done K       removeOnComplete/removeOnFail {count: K} on the workers (default 1000;
                      0 removes every finished job at once)
  --timeout SEC       give up (exit 1) after this many seconds (default 600)
  --priorities        job i gets priority 1 + (i mod 3), in both phases (BullMQ's prioritized jobs)`;

function parse(argv) {
  const o = { redis: 'redis://127.0.0.1:6379', jobs: 100000, concurrency: 100, batch: 1000,
    latencyJobs: 5000, latencyRate: 1000, keepDone: 1000, timeout: 600, priorities: false };
  const ints = { '--jobs': 'jobs', '--concurrency': 'concurrency', '--batch': 'batch',
    '--latency-jobs': 'latencyJobs', '--latency-rate': 'latencyRate', '--keep-done': 'keepDone',
    '--timeout': 'timeout' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return null;
    if (arg === '--priorities') { o.priorities = true; continue; }
    const value = argv[++i];
    if (value === undefined) throw new Error(`${arg} needs a value`);
    if (arg === '--redis') { o.redis = value; continue; }
    const key = ints[arg];
    if (!key) throw new Error(`unknown option '${arg}'`);
    if (!/^\d+$/.test(value)) throw new Error(`${arg} needs a whole number, got '${value}'`);
    o[key] = Number(value);
    if (o[key] < (key === 'keepDone' ? 0 : 1)) throw new Error(`${arg} is too small: ${value}`);
  }
  if (!/^redis:\/\//.test(o.redis)) throw new Error(`--redis must be redis://host:port, got '${o.redis}'`);
  return o;
}

/** BullMQ's job options for job n: a priority of 1 to 3 with --priorities, else none (its plain wait list). */
const jobOpts = (o, n) => (o.priorities ? { priority: 1 + (n % 3) } : {});

const round2 = x => Math.round(x * 100) / 100;
const percentile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];

/** Resolves when `count` jobs have finished (completed or failed) on `worker`. */
function finished(worker, count) {
  let done = 0;
  let failed = 0;
  let resolve;
  const promise = new Promise(r => { resolve = r; });
  const step = () => { if (++done === count) resolve({ at: performance.now(), failed }); };
  worker.on('completed', step);
  worker.on('failed', (job, err) => {
    failed++;
    if (failed <= 3) console.error(`bench: job ${job?.id} failed: ${err?.message}`);
    step();
  });
  worker.on('error', err => console.error(`bench: worker error: ${err?.message ?? err}`));
  return promise;
}

async function run(o) {
  // BullMQ 6 no longer pulls in a Redis driver and, from an ES module, cannot load ioredis itself:
  // it is given an ioredis client (maxRetriesPerRequest null, as BullMQ requires for workers) and
  // duplicates it for the worker's own and blocking connections.
  const connection = new Redis(o.redis, { maxRetriesPerRequest: null });
  connection.on('error', err => console.error(`bench: redis error: ${err?.message ?? err}`));
  const name = `bench-${Date.now().toString(36)}-${process.pid}`;
  const queue = new Queue(name, { connection });
  queue.on('error', err => console.error(`bench: queue error: ${err?.message ?? err}`));
  await queue.waitUntilReady();
  const keep = { count: o.keepDone };
  const workerOpts = { connection, concurrency: o.concurrency, removeOnComplete: keep, removeOnFail: keep };
  let totalFailed = 0;

  try {
    // phase 1: throughput
    const enqueueStart = performance.now();
    for (let i = 0; i < o.jobs; i += o.batch) {
      const batch = [];
      for (let n = i; n < Math.min(o.jobs, i + o.batch); n++) batch.push({ name: 'noop', data: { n }, opts: jobOpts(o, n) });
      await queue.addBulk(batch);
    }
    const enqueueSeconds = (performance.now() - enqueueStart) / 1000;

    const processStart = performance.now();
    const worker = new Worker(name, async () => {}, workerOpts);
    const throughput = await finished(worker, o.jobs);
    const processSeconds = (throughput.at - processStart) / 1000;
    totalFailed += throughput.failed;
    await worker.close();

    // phase 2: latency at a steady rate below capacity
    const latencies = [];
    const latencyWorker = new Worker(name, async job => {
      if (latencies.length < o.latencyJobs) latencies.push(Date.now() - job.timestamp);
    }, workerOpts);
    const latencyDone = finished(latencyWorker, o.latencyJobs);
    await latencyWorker.waitUntilReady();
    await sleep(300); // let the worker reach its blocking wait, as ours does
    const perTick = Math.max(1, Math.floor(o.latencyRate / 100));
    let next = performance.now();
    for (let sent = 0; sent < o.latencyJobs;) {
      const tick = [];
      for (let k = 0; k < perTick && sent < o.latencyJobs; k++, sent++) tick.push({ name: 'noop', data: {}, opts: jobOpts(o, sent) });
      await queue.addBulk(tick);
      next += 10;
      const wait = next - performance.now();
      if (wait > 0) await sleep(wait);
    }
    const latency = await latencyDone;
    totalFailed += latency.failed;
    await latencyWorker.close();
    latencies.sort((a, b) => a - b);

    return {
      system: 'bullmq',
      version: versionOf('bullmq'),
      redis: o.redis.replace(/\/\/[^@/]*@/, '//***@'),
      jobs: o.jobs,
      concurrency: o.concurrency,
      batch: o.batch,
      enqueuePerSec: Math.round(o.jobs / enqueueSeconds),
      processPerSec: Math.round(o.jobs / processSeconds),
      latencyJobs: o.latencyJobs,
      latencyRatePerSec: o.latencyRate,
      p50Ms: round2(percentile(latencies, 0.5)),
      p99Ms: round2(percentile(latencies, 0.99)),
      keepDone: o.keepDone,
      priorities: o.priorities,
      failed: totalFailed,
      node: process.version,
      ioredis: versionOf('ioredis'),
    };
  } finally {
    await queue.obliterate({ force: true }).catch(err => console.error(`bench: obliterate failed: ${err.message}`));
    await queue.close();
    await connection.quit().catch(() => connection.disconnect());
  }
}

let options;
try {
  options = parse(process.argv.slice(2));
} catch (err) {
  console.error(`bench: ${err.message}\n${USAGE}`);
  process.exit(2);
}
if (options === null) {
  console.log(USAGE);
  process.exit(0);
}
const watchdog = setTimeout(() => {
  console.error(`bench: did not finish within ${options.timeout} s`);
  process.exit(1);
}, options.timeout * 1000);
watchdog.unref();
try {
  console.log(JSON.stringify(await run(options)));
} catch (err) {
  console.error(`bench: ${err?.stack ?? err}`);
  process.exit(1);
}
