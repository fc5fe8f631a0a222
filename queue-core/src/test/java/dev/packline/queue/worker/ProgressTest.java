package dev.packline.queue.worker;

import dev.packline.queue.Enqueued;
import dev.packline.queue.Job;
import dev.packline.queue.JobProgress;
import dev.packline.queue.JobState;
import dev.packline.queue.NewJob;
import dev.packline.queue.QueueBroker.Ack;
import dev.packline.queue.QueueBroker.Failure;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestClock;
import dev.packline.queue.TestRedis;
import dev.packline.queue.redis.RedisQueueBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Job progress: stored with the running delivery, fenced by its token, cleared however the delivery ends. */
class ProgressTest {
    private static final Duration LEASE = Duration.ofSeconds(10);
    private final TestClock clock = new TestClock();
    private RedisQueueBroker broker;
    private QueueClient client;
    private QueueVersion queue;

    @BeforeEach
    void setUp() {
        broker = TestRedis.broker(clock);
        client = new QueueClient(broker);
        queue = new QueueInspector(broker, clock).ensureQueue(TestRedis.uniqueQueue("progress"));
    }

    @AfterEach
    void tearDown() {
        broker.obliterate(queue, true);
        broker.close();
    }

    private Optional<JobProgress> progressOf(String id) {
        return broker.job(queue, id).orElseThrow().progress();
    }

    @Test
    void onlyTheHoldingDeliveryWritesProgressAndCompletingClearsIt() {
        client.enqueue(queue, NewJob.of("{}"));
        Job job = broker.fetch(queue, "w1", 1, null, LEASE).jobs().get(0);

        assertTrue(broker.reportProgress(queue, "w1", job, new JobProgress(0.25, "uploaded 75 of 300 MB", clock.millis())));
        assertEquals(Optional.of(new JobProgress(0.25, "uploaded 75 of 300 MB", clock.millis())), progressOf(job.id()));
        assertFalse(broker.reportProgress(queue, "w2", job, new JobProgress(0.5, "", clock.millis())), "another worker");
        Job stale = new Job(queue, job.id(), job.payload(), job.attempt(), job.maxAttempts(), job.timeout(), "99", job.availableAtMillis());
        assertFalse(broker.reportProgress(queue, "w1", stale, new JobProgress(0.5, "", clock.millis())), "another delivery");
        assertEquals(0.25, progressOf(job.id()).orElseThrow().fraction());

        broker.complete(queue, "w1", List.of(new Ack(job.id(), job.token())));
        assertEquals(Optional.empty(), progressOf(job.id()));
        assertFalse(broker.reportProgress(queue, "w1", job, new JobProgress(1, "late", clock.millis())), "done: no more progress");
    }

    @Test
    void aFailedOrRecoveredDeliveryTakesItsProgressWithIt() {
        client.enqueueBatch(queue, List.of(NewJob.of("{}"), NewJob.of("{}")));
        List<Job> jobs = broker.fetch(queue, "w1", 2, null, LEASE).jobs();
        jobs.forEach(job -> broker.reportProgress(queue, "w1", job, new JobProgress(0.5, "half", clock.millis())));

        broker.fail(queue, "w1", new Failure(jobs.get(0), "boom", clock.millis() + 1_000, false));
        assertEquals(Optional.empty(), progressOf(jobs.get(0).id()));
        clock.advance(LEASE.plusMillis(1));
        broker.recover(queue, Duration.ofMinutes(1));
        assertEquals(JobState.PENDING, broker.job(queue, jobs.get(1).id()).orElseThrow().state());
        assertEquals(Optional.empty(), progressOf(jobs.get(1).id()));
    }

    @Test
    void badProgressIsRefusedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new JobProgress(1.5, "", 0));
        assertTrue(e.getMessage().contains("from 0 to 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new JobProgress(0.5, "x".repeat(201), 0));
    }

    @Test
    void aHandlerReportsThroughTheWorkerAndTheReportGoesWithTheJob() throws Exception {
        try (RedisQueueBroker live = TestRedis.broker(Clock.systemUTC())) {
            CountDownLatch reported = new CountDownLatch(1);
            CountDownLatch finish = new CountDownLatch(1);
            Subscription subscription = Subscription.of(queue, 1, JobHandler.reporting((job, progress) -> {
                assertEquals(ProgressReporter.Outcome.RECORDED, progress.report(0.4, "packaging channel 4 of 10"));
                assertEquals(ProgressReporter.Outcome.SKIPPED, progress.report(0.41, "too soon"));
                reported.countDown();
                finish.await();
            }));
            Enqueued enqueued = new QueueClient(live).enqueue(queue, NewJob.of("{}"));
            try (Worker worker = new Worker(Worker.Params.of(live, List.of(subscription))).start()) {
                assertTrue(reported.await(10, TimeUnit.SECONDS));
                JobProgress progress = live.job(queue, enqueued.id()).orElseThrow().progress().orElseThrow();
                assertEquals(new JobProgress(0.4, "packaging channel 4 of 10", progress.atMillis()), progress);
                finish.countDown();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (live.job(queue, enqueued.id()).orElseThrow().state() != JobState.DONE && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertEquals(JobState.DONE, live.job(queue, enqueued.id()).orElseThrow().state());
                assertEquals(Optional.empty(), live.job(queue, enqueued.id()).orElseThrow().progress());
            }
        }
    }
}
