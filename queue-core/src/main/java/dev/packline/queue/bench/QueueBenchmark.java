package dev.packline.queue.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.packline.queue.Job;
import dev.packline.queue.NewJob;
import dev.packline.queue.Priority;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.redis.Retention;
import dev.packline.queue.worker.Subscription;
import dev.packline.queue.worker.Worker;
import dev.packline.queue.worker.WorkerEvents;
import dev.packline.redis.EmbeddedRedis;
import dev.packline.redis.RedisConnector;
import redis.clients.jedis.UnifiedJedis;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code bin/packline bench queue}: no-op jobs through the full durable path. Phase 1 enqueues
 * {@code --jobs} in batches (enqueuePerSec), then one worker with {@code --concurrency} slots
 * fetches each into its active list, runs it and acknowledges it (processPerSec, measured from
 * creating the worker to the last ack, as bench/bullmq/bench.mjs measures BullMQ's). Phase 2 measures enqueue-to-start latency at a steady
 * producer rate with idle workers waiting, which is what a user notices. Prints one JSON line.
 */
public final class QueueBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    private QueueBenchmark() {
    }

    record Options(String redisUrl, int jobs, int concurrency, int batch, int latencyJobs, int latencyRate, int groups) {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench queue: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.println(usage());
            return;
        }
        EmbeddedRedis embedded = options.redisUrl() == null ? EmbeddedRedis.start() : null;
        String url = embedded != null ? embedded.url() : options.redisUrl();
        UnifiedJedis redis = RedisConnector.open(url, 256);
        try (RedisQueueBroker broker = new RedisQueueBroker(redis, RedisConnector.describe(url),
                Clock.systemUTC(), new Retention(1_000, Duration.ofMinutes(10), 1_000, Duration.ofDays(1), 1_000), true)) {
            System.out.println(run(broker, new RedisCpu(redis), options, embedded != null ? "embedded" : RedisConnector.describe(url)));
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    static String run(RedisQueueBroker broker, RedisCpu redisCpu, Options options, String redisLabel) throws InterruptedException {
        QueueInspector inspector = new QueueInspector(broker, Clock.systemUTC());
        QueueClient client = new QueueClient(broker);
        String queueName = "bench-" + Long.toString(System.nanoTime(), 36);
        QueueVersion queue = inspector.ensureQueue(queueName);

        // phase 1: throughput
        List<NewJob> batch = new ArrayList<>(options.batch());
        long cpuBeforeEnqueue = redisCpu.micros();
        long enqueueStart = System.nanoTime();
        for (int i = 0; i < options.jobs(); i++) {
            batch.add(job("{\"n\":" + i + "}", i, options.groups()));
            if (batch.size() == options.batch() || i == options.jobs() - 1) {
                client.enqueueBatch(queue, batch);
                batch.clear();
            }
        }
        double enqueueSeconds = (System.nanoTime() - enqueueStart) / 1e9;
        long cpuBeforeProcess = redisCpu.micros();
        long benchCpuBeforeProcess = benchCpuNanos();
        CountDownLatch done = new CountDownLatch(options.jobs());
        long processStart = System.nanoTime();
        long processEnd;
        long cpuAfterProcess;
        long benchCpuAfterProcess;
        long closeStart;
        // the phase ends at the last job's acknowledgement, as bench/bullmq/bench.mjs ends at its last
        // 'completed' event; stopping the worker (its fetch loops leave their blocking wait) comes after
        try (Worker ignored = startWorker(broker, queue, options.concurrency(), done, null)) {
            if (!done.await(30, TimeUnit.MINUTES)) {
                throw new IllegalStateException("benchmark jobs did not finish within 30 minutes");
            }
            processEnd = System.nanoTime();
            cpuAfterProcess = redisCpu.micros();
            benchCpuAfterProcess = benchCpuNanos();
            closeStart = System.nanoTime();
        }
        double processSeconds = (processEnd - processStart) / 1e9;
        double closeMillis = (System.nanoTime() - closeStart) / 1e6;

        // phase 2: latency at a steady rate below capacity
        long[] latencies = new long[options.latencyJobs()];
        AtomicInteger seen = new AtomicInteger();
        CountDownLatch latencyDone = new CountDownLatch(options.latencyJobs());
        try (Worker ignored = startWorker(broker, queue, options.concurrency(), latencyDone, (job, waited) -> {
            int i = seen.getAndIncrement();
            if (i < latencies.length) {
                latencies[i] = waited.toNanos();
            }
        })) {
            Thread.sleep(300); // let the fetch loops reach their blocking wait
            int perTick = Math.max(1, options.latencyRate() / 100);
            long tickNanos = TimeUnit.MILLISECONDS.toNanos(10);
            long next = System.nanoTime();
            for (int sent = 0; sent < options.latencyJobs(); ) {
                List<NewJob> tick = new ArrayList<>();
                for (int k = 0; k < perTick && sent < options.latencyJobs(); k++, sent++) {
                    tick.add(job("{}", sent, options.groups()));
                }
                client.enqueueBatch(queue, tick);
                next += tickNanos;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
            if (!latencyDone.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("latency jobs did not finish within 10 minutes");
            }
        }
        Arrays.sort(latencies);
        inspector.markDraining(queueAfterMovingCurrent(inspector, queue));
        broker.obliterate(queue, true);

        ObjectNode out = JSON.createObjectNode();
        out.put("redis", redisLabel);
        out.put("jobs", options.jobs());
        out.put("concurrency", options.concurrency());
        out.put("batch", options.batch());
        out.put("groups", options.groups());
        out.put("enqueuePerSec", Math.round(options.jobs() / enqueueSeconds));
        out.put("processPerSec", Math.round(options.jobs() / processSeconds));
        out.put("redisCpuUsPerJobEnqueue", RedisCpu.perJob(cpuBeforeEnqueue, cpuBeforeProcess, options.jobs()));
        out.put("redisCpuUsPerJobProcess", RedisCpu.perJob(cpuBeforeProcess, cpuAfterProcess, options.jobs()));
        out.put("benchCpuUsPerJobProcess", round((benchCpuAfterProcess - benchCpuBeforeProcess) / 1e3 / options.jobs()));
        out.put("workerCloseMs", round(closeMillis));
        out.put("latencyJobs", options.latencyJobs());
        out.put("latencyRatePerSec", options.latencyRate());
        out.put("p50Ms", round(latencies[(int) (latencies.length * 0.50)] / 1e6));
        out.put("p99Ms", round(latencies[Math.min(latencies.length - 1, (int) (latencies.length * 0.99))] / 1e6));
        out.put("java", Runtime.version().toString());
        return out.toString();
    }

    /** CPU time of this JVM so far (every thread, the JIT compilers and the collector included). */
    private static long benchCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** A plain job, or with groups: job i in group i/3 mod groups at level i mod 3, so every group has all three levels. */
    private static NewJob job(String payload, int i, int groups) {
        NewJob job = NewJob.of(payload);
        return groups == 0 ? job : job.withPriority(Priority.values()[i % 3]).withGroup("g" + (i / 3) % groups);
    }

    private interface StartListener {
        void started(Job job, Duration waited);
    }

    private static Worker startWorker(RedisQueueBroker broker, QueueVersion queue, int concurrency, CountDownLatch done,
                                      StartListener onStart) {
        WorkerEvents events = new WorkerEvents() {
            @Override
            public void jobStarted(Job job, Duration waited) {
                if (onStart != null) {
                    onStart.started(job, waited);
                }
            }

            @Override
            public void jobFinished(Job job, Outcome outcome, Duration took) {
                done.countDown();
            }
        };
        Subscription subscription = Subscription.of(queue, concurrency, job -> {
        });
        return new Worker(Worker.Params.of(broker, List.of(subscription)).withEvents(events)
                .withTimings(dev.packline.queue.worker.WorkerTimings.DEFAULT.withShutdownTimeout(Duration.ofSeconds(5)))).start();
    }

    /** The bench queue is throwaway: give it a new current version so this one can be drained and removed. */
    private static QueueVersion queueAfterMovingCurrent(QueueInspector inspector, QueueVersion queue) {
        inspector.setCurrent(inspector.newVersion(queue.name()));
        return queue;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    static Options parse(String[] args) {
        String redis = System.getenv("PACKLINE_REDIS_URL");
        int jobs = 100_000;
        int concurrency = 100;
        int batch = 1_000;
        int latencyJobs = 5_000;
        int latencyRate = 1_000;
        int groups = 0;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--redis" -> redis = value(args, ++i, arg);
                case "--jobs" -> jobs = positive(value(args, ++i, arg), arg);
                case "--concurrency" -> concurrency = positive(value(args, ++i, arg), arg);
                case "--batch" -> batch = positive(value(args, ++i, arg), arg);
                case "--latency-jobs" -> latencyJobs = positive(value(args, ++i, arg), arg);
                case "--latency-rate" -> latencyRate = positive(value(args, ++i, arg), arg);
                case "--groups" -> groups = positive(value(args, ++i, arg), arg);
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        return new Options(redis, jobs, concurrency, batch, latencyJobs, latencyRate, groups);
    }

    /** Shared with the other queue benchmarks: the option's value, or an error naming the option. */
    static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    static int positive(String text, String option) {
        try {
            int n = Integer.parseInt(text);
            if (n < 1) {
                throw new IllegalArgumentException(option + " must be at least 1, got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, got '" + text + "'");
        }
    }

    static String usage() {
        return """
                Usage: bin/packline bench queue [--redis URL] [--jobs N] [--concurrency C] [--batch B]
                                                [--latency-jobs N] [--latency-rate PER_SEC] [--groups G]
                Runs no-op jobs through the durable path (batch enqueue, reliable fetch into the worker's
                active list, ack) and prints one JSON line: enqueuePerSec, processPerSec, p50Ms, p99Ms, and
                the microseconds of Redis CPU per job of each phase (redisCpuUsPerJobEnqueue, ...Process).
                  --redis URL         redis://host:port or redis-cluster://h:p,h:p (also PACKLINE_REDIS_URL);
                                      without it an embedded redis-server starts on a free loopback port
                  --jobs N            jobs for the throughput phase (default 100000)
                  --concurrency C     jobs run at once by the worker (default 100)
                  --batch B           jobs per enqueue call (default 1000)
                  --latency-jobs N    jobs for the enqueue-to-start latency phase (default 5000)
                  --latency-rate R    jobs per second offered in the latency phase (default 1000)
                  --groups G          spread the jobs over G groups and the three priority levels (fair
                                      queueing on); without it every job is plain (normal, default group)""";
    }
}
