package dev.packline.queue.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.packline.queue.Job;
import dev.packline.queue.NewJob;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.redis.Retention;
import dev.packline.queue.worker.Subscription;
import dev.packline.queue.worker.Worker;
import dev.packline.queue.worker.WorkerEvents;
import dev.packline.queue.worker.WorkerTimings;
import dev.packline.redis.EmbeddedRedis;
import dev.packline.redis.RedisConnector;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/packline bench fairness}: publisher A submits a large request, then publisher B a
 * small one; handlers sleep a fixed time to stand for packaging. Prints B's time from its submit to
 * its last job done three ways: B alone on an idle worker, behind A with fair shares (each
 * publisher its own group), and behind A with fairness off (plain jobs: one FIFO). One JSON line.
 */
public final class FairnessBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FairnessBenchmark() {
    }

    record Options(String redisUrl, int aJobs, int bJobs, int concurrency, int sleepMillis) {
    }

    /** How a run's jobs are enqueued. */
    enum Mode { IDLE, FAIR, FIFO }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench fairness: " + e.getMessage());
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
        try (RedisQueueBroker broker = new RedisQueueBroker(RedisConnector.open(url, 64), RedisConnector.describe(url),
                Clock.systemUTC(), Retention.DEFAULT, true)) {
            ObjectNode out = JSON.createObjectNode();
            out.put("redis", embedded != null ? "embedded" : RedisConnector.describe(url));
            out.put("aJobs", options.aJobs());
            out.put("bJobs", options.bJobs());
            out.put("concurrency", options.concurrency());
            out.put("sleepMs", options.sleepMillis());
            run(broker, options, Mode.IDLE); // warm-up, not reported: the JIT would make the first figure the idle one
            for (Mode mode : Mode.values()) {
                Run run = run(broker, options, mode);
                String name = mode.name().toLowerCase();
                out.put(name + "BMs", run.bMillis());
                if (mode != Mode.IDLE) {
                    out.put(name + "AWaitingWhenBDone", run.aWaiting());
                }
            }
            out.put("fairOverIdle", Math.round(100.0 * out.get("fairBMs").asLong() / Math.max(1, out.get("idleBMs").asLong())) / 100.0);
            out.put("fifoOverIdle", Math.round(100.0 * out.get("fifoBMs").asLong() / Math.max(1, out.get("idleBMs").asLong())) / 100.0);
            System.out.println(out);
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    record Run(long bMillis, long aWaiting) {
    }

    static Run run(RedisQueueBroker broker, Options options, Mode mode) throws InterruptedException {
        QueueInspector inspector = new QueueInspector(broker, Clock.systemUTC());
        QueueClient client = new QueueClient(broker);
        QueueVersion queue = inspector.ensureQueue("bench-fair-" + Long.toString(System.nanoTime(), 36));
        CountDownLatch bDone = new CountDownLatch(options.bJobs());
        WorkerEvents events = new WorkerEvents() {
            @Override
            public void jobFinished(Job job, Outcome outcome, Duration took) {
                if (job.payload().contains("\"B\"")) {
                    bDone.countDown();
                }
            }
        };
        Subscription subscription = Subscription.of(queue, options.concurrency(), job -> Thread.sleep(options.sleepMillis()));
        long bMillis;
        long aWaiting;
        try (Worker ignored = new Worker(Worker.Params.of(broker, List.of(subscription)).withEvents(events)
                .withTimings(WorkerTimings.DEFAULT.withShutdownTimeout(Duration.ofSeconds(5)))).start()) {
            Thread.sleep(300); // the fetch loops reach their blocking wait
            if (mode != Mode.IDLE) {
                client.enqueueBatch(queue, jobs("A", options.aJobs(), mode));
            }
            long bStart = System.nanoTime();
            client.enqueueBatch(queue, jobs("B", options.bJobs(), mode));
            if (!bDone.await(30, TimeUnit.MINUTES)) {
                throw new IllegalStateException("publisher B's jobs did not finish within 30 minutes");
            }
            bMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - bStart);
            aWaiting = inspector.counts(queue).pending();
        }
        inspector.setCurrent(inspector.newVersion(queue.name()));
        broker.obliterate(queue, true);
        return new Run(bMillis, aWaiting);
    }

    private static List<NewJob> jobs(String publisher, int count, Mode mode) {
        List<NewJob> jobs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            NewJob job = NewJob.of("{\"publisher\":\"" + publisher + "\",\"n\":" + i + "}");
            jobs.add(mode == Mode.FIFO ? job : job.withGroup(publisher));
        }
        return jobs;
    }

    static Options parse(String[] args) {
        String redis = System.getenv("PACKLINE_REDIS_URL");
        int aJobs = 5_000;
        int bJobs = 10;
        int concurrency = 20;
        int sleep = 20;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--redis" -> redis = QueueBenchmark.value(args, ++i, arg);
                case "--a-jobs" -> aJobs = QueueBenchmark.positive(QueueBenchmark.value(args, ++i, arg), arg);
                case "--b-jobs" -> bJobs = QueueBenchmark.positive(QueueBenchmark.value(args, ++i, arg), arg);
                case "--concurrency" -> concurrency = QueueBenchmark.positive(QueueBenchmark.value(args, ++i, arg), arg);
                case "--sleep-ms" -> sleep = QueueBenchmark.positive(QueueBenchmark.value(args, ++i, arg), arg);
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        return new Options(redis, aJobs, bJobs, concurrency, sleep);
    }

    static String usage() {
        return """
                Usage: bin/packline bench fairness [--redis URL] [--a-jobs N] [--b-jobs N] [--concurrency C] [--sleep-ms MS]
                Publisher A submits N jobs, then publisher B submits a few; each job sleeps MS to stand for
                packaging. Prints one JSON line with B's time from submit to its last job done: idleBMs (B
                alone), fairBMs (behind A, each publisher its own group), fifoBMs (behind A, fairness off),
                and how many of A's jobs still waited when B was done.
                  --redis URL         redis://host:port (also PACKLINE_REDIS_URL); without it an embedded
                                      redis-server starts on a free loopback port
                  --a-jobs N          publisher A's jobs (default 5000)
                  --b-jobs N          publisher B's jobs (default 10)
                  --concurrency C     jobs the worker runs at once (default 20)
                  --sleep-ms MS       what each job sleeps (default 20)""";
    }
}
