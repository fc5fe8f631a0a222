package dev.packline.worker.e2e;

import dev.packline.notify.Alert;
import dev.packline.pipeline.ChannelSpec;
import dev.packline.pipeline.PackagingRequest;
import dev.packline.pipeline.RequestStatus;
import dev.packline.pipeline.RequestStore;
import dev.packline.pipeline.Stage;
import dev.packline.pipeline.Submitter;
import dev.packline.queue.JobActionOutcome;
import dev.packline.queue.JobState;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestRedis;
import dev.packline.queue.control.JobActions;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.worker.RejectJobException;
import dev.packline.redis.RedisConnector;
import dev.packline.settings.Settings;
import dev.packline.worker.WorkerApp;
import dev.packline.worker.WorkerConfig;
import dev.packline.worker.alarm.RecordingAlertChannel;
import dev.packline.worker.mother.Mother;
import dev.packline.worker.stage.ChannelBuilder;
import dev.packline.worker.stage.PackagingTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An admin's cancel of one stage job ({@code admin job cancel}) ends that channel of its request as
 * cancelled, through the same owner as dead letters, so the request still finishes and is notified
 * once; the other channels are untouched.
 */
class CancelledStageJobEndToEndTest {
    @TempDir
    Path temp;

    @Test
    void cancellingAWaitingPackageJobEndsItsChannelAndTheRequestStillFinishes() throws Exception {
        Path apks = Files.createDirectories(temp.resolve("apks"));
        PackagingRequest request = PipelineFixture.request(PipelineFixture.mother(apks, "game-1.0.apk", 31), 3, List.of());
        RecordingAlertChannel alerts = new RecordingAlertChannel();
        try (RedisQueueBroker broker = TestRedis.broker(Clock.systemUTC()); UnifiedJedis redis = RedisConnector.open(TestRedis.url(), 4)) {
            PipelineFixture.ensureStageQueues(broker);
            RequestStore requests = new RequestStore(redis, Clock.systemUTC(), Duration.ofDays(1));
            new Submitter(requests, new QueueClient(broker), 5, Duration.ofMinutes(2)).submit(request);
            QueueVersion packageQueue = PipelineFixture.current(broker, Stage.PACKAGE);
            assertEquals(JobActionOutcome.CANCELLED,
                    new JobActions(broker).cancel(packageQueue, Stage.packageJobId(request.id(), 1)).outcome(), "it waits: cancelled at once");

            try (WorkerApp app = new WorkerApp(config(apks), PackagingTools.channelBuilder(), PackagingTools.patchMaker(), alerts,
                    Clock.systemUTC()).start()) {
                RequestStatus status = PipelineEndToEndTest.awaitFinished(requests, request.id(), 120);
                assertEquals("cancelled", status.state(), "a request with a cancelled channel ends cancelled");
                assertEquals(1L, status.counts().get("package.cancelled"), status.counts().toString());
                assertEquals(2L, status.counts().get("upload.done"), "the other channels went through");
                assertEquals("cancelled by an admin", channel(status, 1).get("error"), status.channels().toString());
                awaitNotification(alerts, request.id());
            }
            assertEquals(1, notifications(alerts, request.id()).size(), "exactly one notification");
            // other tests' dead letters may share the test Redis: only this request's job matters
            assertTrue(alerts.alerts().stream().noneMatch(a -> a.key().startsWith("dead-letters:") && a.text().contains(request.id())),
                    "a cancel is not a dead-letter alert: " + alerts.alerts());
        }
    }

    @Test
    void cancellingARunningPackageJobStopsItAndEndsItsChannel() throws Exception {
        Path apks = Files.createDirectories(temp.resolve("apks"));
        PackagingRequest request = PipelineFixture.request(PipelineFixture.mother(apks, "game-1.0.apk", 32), 3, List.of());
        String slowChannel = request.channels().get(0).name();
        CountDownLatch started = new CountDownLatch(1);
        ChannelBuilder real = PackagingTools.channelBuilder();
        ChannelBuilder slowOnChannelZero = new ChannelBuilder() {
            @Override
            public Built build(Mother mother, ChannelSpec spec, String format, String nameTemplate, Path outDir)
                    throws RejectJobException, IOException {
                if (spec.name().equals(slowChannel)) {
                    started.countDown();
                    try {
                        Thread.sleep(Duration.ofMinutes(2)); // until the cancel interrupts it
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while building " + spec.name(), e);
                    }
                }
                return real.build(mother, spec, format, nameTemplate, outDir);
            }

            @Override
            public Optional<Tail> tail(Mother mother, ChannelSpec spec, String format) throws RejectJobException, IOException {
                return real.tail(mother, spec, format);
            }
        };
        RecordingAlertChannel alerts = new RecordingAlertChannel();
        try (RedisQueueBroker broker = TestRedis.broker(Clock.systemUTC()); UnifiedJedis redis = RedisConnector.open(TestRedis.url(), 4)) {
            PipelineFixture.ensureStageQueues(broker);
            RequestStore requests = new RequestStore(redis, Clock.systemUTC(), Duration.ofDays(1));
            QueueVersion packageQueue = PipelineFixture.current(broker, Stage.PACKAGE);
            try (WorkerApp app = new WorkerApp(config(apks), slowOnChannelZero, PackagingTools.patchMaker(), alerts, Clock.systemUTC()).start()) {
                new Submitter(requests, new QueueClient(broker), 5, Duration.ofMinutes(2)).submit(request);
                assertTrue(started.await(60, TimeUnit.SECONDS), "channel 0's package job started");
                String jobId = Stage.packageJobId(request.id(), 0);
                assertEquals(JobState.ACTIVE, broker.job(packageQueue, jobId).orElseThrow().state());
                assertEquals(JobActionOutcome.CANCEL_REQUESTED, new JobActions(broker).cancel(packageQueue, jobId).outcome());

                RequestStatus status = PipelineEndToEndTest.awaitFinished(requests, request.id(), 60);
                assertEquals("cancelled", status.state());
                assertEquals(1L, status.counts().get("package.cancelled"), status.counts().toString());
                assertEquals(2L, status.counts().get("upload.done"));
                assertEquals(JobState.CANCELLED, broker.job(packageQueue, jobId).orElseThrow().state(), "ended, never retried");
                awaitNotification(alerts, request.id());
            }
            assertEquals(1, notifications(alerts, request.id()).size(), "exactly one notification");
        }
    }

    private static Map<String, Object> channel(RequestStatus status, int index) {
        return status.channels().stream().filter(c -> Integer.valueOf(index).equals(c.get("index"))).findFirst()
                .orElseThrow(() -> new AssertionError("no result for channel " + index + ": " + status.channels()));
    }

    private static List<Alert> notifications(RecordingAlertChannel alerts, String requestId) {
        return alerts.alerts().stream().filter(a -> a.key().equals("request:" + requestId)).toList();
    }

    private static void awaitNotification(RecordingAlertChannel alerts, String requestId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (notifications(alerts, requestId).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(1, notifications(alerts, requestId).size(), "the request's summary went out");
    }

    private WorkerConfig config(Path apks) throws Exception {
        return WorkerConfig.read(Settings.parse("e2e.yml", PipelineFixture.yaml(TestRedis.url(), apks, temp, ""), Map.of()));
    }
}
