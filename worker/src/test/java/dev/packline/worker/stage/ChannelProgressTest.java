package dev.packline.worker.stage;

import dev.packline.pipeline.ChannelSpec;
import dev.packline.pipeline.PackagingRequest;
import dev.packline.pipeline.RequestStore;
import dev.packline.pipeline.RunningChannel;
import dev.packline.pipeline.RunningChannels;
import dev.packline.pipeline.Stage;
import dev.packline.pipeline.job.PackageJob;
import dev.packline.pipeline.job.StageJobs;
import dev.packline.queue.JobState;
import dev.packline.queue.NewJob;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestRedis;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.retry.Backoff;
import dev.packline.queue.worker.ProgressReporter;
import dev.packline.queue.worker.Subscription;
import dev.packline.queue.worker.Worker;
import dev.packline.queue.worker.WorkerTimings;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A channel stage's progress on a real worker runtime and Redis: a report reaches both the queue's
 * running job (admin job) and the request's summary; the request's copy is gone when the delivery
 * ends, whether the handler returned or threw.
 */
class ChannelProgressTest {
    private static final Backoff QUICK_RETRY = new Backoff(Duration.ofMillis(50), 2.0, Duration.ofMillis(200), 0.0);

    @Test
    void aReportReachesTheQueueAndTheRequestAndLeavesWithTheDelivery() throws Exception {
        Clock clock = Clock.systemUTC();
        RedisQueueBroker broker = TestRedis.broker(clock);
        UnifiedJedis redis = TestRedis.client();
        QueueVersion queue = new QueueInspector(broker, clock).ensureQueue(TestRedis.uniqueQueue("channel-progress"));
        RequestStore requests = new RequestStore(redis, clock, Duration.ofDays(1));
        PackagingRequest request = new PackagingRequest("r-" + UUID.randomUUID().toString().substring(0, 8), "pub-a", "com.example.game",
                "file:///data/game.apk", List.of(new ChannelSpec("huawei", Map.of()), new ChannelSpec("xiaomi", Map.of())), "walle",
                "local", "", null, List.of(), List.of(), null);
        requests.create(request);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<ProgressReporter.Outcome> firstOutcome = new AtomicReference<>();
        ChannelProgress handler = new ChannelProgress(Stage.PACKAGE, (job, progress) -> {
            firstOutcome.set(progress.report(0.5, "writing channel xiaomi"));
            release.await();
            if (job.attempt() == 1) {
                throw new IllegalStateException("disk full"); // the retry must not show the failed delivery's report
            }
        }, new RunningChannels(redis, Duration.ofMinutes(10)), clock);
        String jobId = "pkg:" + request.id() + ":1";
        new QueueClient(broker).enqueue(queue, NewJob.of(StageJobs.write(PackageJob.of(request, 1))).withId(jobId));
        Worker worker = new Worker(Worker.Params.of(broker, List.of(new Subscription(queue, handler, 1, QUICK_RETRY)))
                .withTimings(WorkerTimings.DEFAULT.withShutdownTimeout(Duration.ofSeconds(2)))).start();
        try {
            await("the report is in the request's summary", () -> !requests.summary(request.id()).orElseThrow().running().isEmpty());
            assertEquals(ProgressReporter.Outcome.RECORDED, firstOutcome.get());
            RunningChannel running = requests.summary(request.id()).orElseThrow().running().getFirst();
            assertEquals(new RunningChannel(1, "package", 0.5, "writing channel xiaomi", running.atMillis()), running);
            assertEquals("writing channel xiaomi", broker.job(queue, jobId).orElseThrow().progress().orElseThrow().message(),
                    "the queue's running job carries it too");

            release.countDown();
            await("the retry ran and the job is done", () -> broker.job(queue, jobId).orElseThrow().state() == JobState.DONE);
            assertTrue(requests.summary(request.id()).orElseThrow().running().isEmpty(), "cleared when the delivery ended");
            assertTrue(broker.job(queue, jobId).orElseThrow().progress().isEmpty());
        } finally {
            worker.close();
            broker.obliterate(queue, true);
            broker.close();
            redis.close();
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }
}
