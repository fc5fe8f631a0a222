package dev.packline.queue.worker;

import dev.packline.queue.Enqueued;
import dev.packline.queue.Job;
import dev.packline.queue.JobRecord;
import dev.packline.queue.JobState;
import dev.packline.queue.NewJob;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestRedis;
import dev.packline.queue.redis.Keys;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.retry.Backoff;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The worker runtime end to end on a real Redis: concurrency, retries, dead letters, hard timeouts, shutdown. */
public class WorkerTest {
    public static final WorkerTimings FAST = WorkerTimings.DEFAULT.withHeartbeat(Duration.ofMillis(200), Duration.ofSeconds(2))
            .withRecovery(Duration.ofMillis(200), Duration.ofSeconds(1)).withShutdownTimeout(Duration.ofSeconds(2));
    public static final Backoff QUICK_RETRY = new Backoff(Duration.ofMillis(50), 2.0, Duration.ofMillis(200), 0.0);

    private RedisQueueBroker broker;
    private QueueClient client;
    private QueueInspector inspector;
    private QueueVersion queue;
    private final List<Worker> workers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        broker = TestRedis.broker(Clock.systemUTC());
        client = new QueueClient(broker);
        inspector = new QueueInspector(broker, Clock.systemUTC());
        queue = inspector.ensureQueue(TestRedis.uniqueQueue("worker"));
    }

    @AfterEach
    void tearDown() {
        workers.forEach(Worker::close);
        broker.obliterate(queue, true);
        broker.close();
    }

    private Worker start(int concurrency, JobHandler handler) {
        Worker worker = new Worker(Worker.Params.of(broker, List.of(new Subscription(queue, handler, concurrency, QUICK_RETRY)))
                .withTimings(FAST)).start();
        workers.add(worker);
        return worker;
    }

    public static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void runsEveryJobOnceWithinItsConcurrency() throws Exception {
        int jobs = 300;
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        CountDownLatch done = new CountDownLatch(jobs);
        start(8, job -> {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            Thread.sleep(2);
            assertTrue(seen.add(job.id()), "delivered twice: " + job.id());
            running.decrementAndGet();
            done.countDown();
        });
        List<NewJob> batch = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            batch.add(NewJob.of("{\"n\":" + i + "}"));
        }
        client.enqueueBatch(queue, batch);

        assertTrue(done.await(30, TimeUnit.SECONDS));
        await("every ack is written", () -> inspector.counts(queue).counter("completed") == jobs);
        assertTrue(maxRunning.get() <= 8, "ran " + maxRunning.get() + " at once");
        assertTrue(maxRunning.get() > 1, "jobs ran in parallel");
        assertEquals(0, inspector.counts(queue).unfinished());
    }

    @Test
    void aFailingJobIsRetriedWithBackoffThenSucceeds() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        start(2, job -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("object store answered 503");
            }
        });
        Enqueued job = client.enqueue(queue, NewJob.of("{}"));

        await("the job is done", () -> inspector.job(queue, job.id()).map(r -> r.state() == JobState.DONE).orElse(false));
        JobRecord record = inspector.job(queue, job.id()).orElseThrow();
        assertEquals(2, record.attempts());
        assertEquals("IllegalStateException: object store answered 503", record.lastError());
    }

    @Test
    void aRejectedJobIsDeadLetteredAndTheWorkerKeepsGoing() throws Exception {
        start(1, job -> {
            if (job.payload().contains("bad")) {
                throw new RejectJobException("channel list is empty");
            }
        });
        Enqueued bad = client.enqueue(queue, NewJob.of("{\"bad\":true}"));
        Enqueued good = client.enqueue(queue, NewJob.of("{}"));

        await("the good job is done", () -> inspector.job(queue, good.id()).map(r -> r.state() == JobState.DONE).orElse(false));
        JobRecord dead = inspector.job(queue, bad.id()).orElseThrow();
        assertEquals(JobState.DEAD, dead.state());
        assertEquals("channel list is empty", dead.lastError());
        assertEquals(1, dead.attempts());
        assertEquals(1, inspector.deadLetterEvents(queue, "0", 10).size());
    }

    @Test
    void aJobPastItsHardTimeoutIsInterruptedAndRetried() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger interrupted = new AtomicInteger();
        start(1, job -> {
            if (calls.incrementAndGet() == 1) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                    throw e;
                }
            }
        });
        Enqueued job = client.enqueue(queue, NewJob.of("{}").withTimeout(Duration.ofMillis(300)));

        await("the retry is done", () -> inspector.job(queue, job.id()).map(r -> r.state() == JobState.DONE).orElse(false));
        assertEquals(1, interrupted.get());
        JobRecord record = inspector.job(queue, job.id()).orElseThrow();
        assertEquals(2, record.attempts());
        assertTrue(record.lastError().contains("hard timeout of 300 ms"), record.lastError());
    }

    @Test
    void aHandlerThatIgnoresInterruptsIsAbandonedAndDoesNotBlockItsSlot() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        start(1, job -> {
            if (job.payload().contains("stuck")) {
                while (release.getCount() > 0) {
                    try {
                        release.await();
                    } catch (InterruptedException ignored) {
                        // a badly written handler swallows the interrupt
                    }
                }
            }
        });
        Enqueued stuck = client.enqueue(queue, NewJob.of("{\"stuck\":true}").withTimeout(Duration.ofMillis(300)).withMaxAttempts(1));
        Enqueued next = client.enqueue(queue, NewJob.of("{}"));

        await("the next job is done", () -> inspector.job(queue, next.id()).map(r -> r.state() == JobState.DONE).orElse(false));
        JobRecord dead = inspector.job(queue, stuck.id()).orElseThrow();
        assertEquals(JobState.DEAD, dead.state());
        assertTrue(dead.lastError().contains("hard timeout"), dead.lastError());
        release.countDown();
    }

    @Test
    void shutdownFinishesQuickJobsAndGivesBackTheRestWithoutUsingAnAttempt() throws Exception {
        CountDownLatch started = new CountDownLatch(2);
        Worker worker = start(2, job -> {
            started.countDown();
            Thread.sleep(job.payload().contains("slow") ? 60_000 : 300);
        });
        Enqueued quick = client.enqueue(queue, NewJob.of("{}"));
        Enqueued slow = client.enqueue(queue, NewJob.of("{\"slow\":true}"));
        assertTrue(started.await(10, TimeUnit.SECONDS));

        worker.close();

        assertEquals(JobState.DONE, inspector.job(queue, quick.id()).orElseThrow().state());
        JobRecord returned = inspector.job(queue, slow.id()).orElseThrow();
        assertEquals(JobState.PENDING, returned.state());
        assertEquals(0, returned.attempts());
        assertEquals(List.of(slow.id()), inspector.jobIds(queue, JobState.PENDING, 0, 10));
        try (UnifiedJedis redis = TestRedis.client()) {
            assertEquals(0, redis.llen(new Keys(queue).active(worker.id())));
        }
    }

    @Test
    void theWorkerStopsFetchingARetiredVersion() throws Exception {
        Worker worker = start(1, job -> { });
        inspector.setCurrent(inspector.newVersion(queue.name()));
        inspector.drain(queue, Duration.ofSeconds(10), Duration.ofMillis(20), c -> { });

        assertEquals(Worker.StopReason.RETIRED, worker.fetchingStopped().get(10, TimeUnit.SECONDS));
        inspector.obliterate(QueueVersion.of(queue.name(), 2), true);
    }

    @Test
    void afterItsMaximumNumberOfJobsTheWorkerStopsFetchingAndAsksToRecycle() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            jobs.add(NewJob.of("{}"));
        }
        client.enqueueBatch(queue, jobs);
        Worker worker = new Worker(Worker.Params.of(broker, List.of(new Subscription(queue, job -> ran.incrementAndGet(), 3, QUICK_RETRY)))
                .withTimings(FAST).withMaxJobs(5)).start();
        workers.add(worker);

        assertEquals(Worker.StopReason.RECYCLE, worker.fetchingStopped().get(10, TimeUnit.SECONDS));
        worker.close();
        assertEquals(5, ran.get());
        assertEquals(5, inspector.counts(queue).counter("completed"));
        assertEquals(7, inspector.counts(queue).pending(), "the rest waits for the next process");
    }

    @Test
    void aJobHeldByACrashedWorkerIsRecoveredByALiveOne() throws Exception {
        // the crashed worker: it fetched the job and then stopped heartbeating (no process needed for this half)
        Enqueued job = client.enqueue(queue, NewJob.of("{}"));
        broker.fetch(queue, "crashed-worker", 1, null, Duration.ofMillis(500));
        List<Job> seen = new ArrayList<>();
        start(1, j -> {
            synchronized (seen) {
                seen.add(j);
            }
        });

        await("the job is done", () -> inspector.job(queue, job.id()).map(r -> r.state() == JobState.DONE).orElse(false));
        assertEquals(2, seen.get(0).attempt());
    }
}
