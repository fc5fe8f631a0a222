package dev.packline.worker.e2e;

import dev.packline.pipeline.PackagingRequest;
import dev.packline.pipeline.RequestStatus;
import dev.packline.pipeline.RequestStore;
import dev.packline.pipeline.Submitter;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.redis.Retention;
import dev.packline.queue.upgrade.CleanupSchedule;
import dev.packline.queue.upgrade.VersionRollback;
import dev.packline.redis.EmbeddedRedis;
import dev.packline.redis.RedisConnector;
import dev.packline.settings.Settings;
import dev.packline.worker.WorkerApp;
import dev.packline.worker.WorkerConfig;
import dev.packline.notify.AlertChannel;
import dev.packline.worker.alarm.RecordingAlertChannel;
import dev.packline.worker.stage.PackagingTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An admin rolls a queue to a new version while workers run (create N+1, make it current, drain
 * N): a running worker notices the new version by itself and asks to be restarted, a worker started
 * during the rollout serves both the draining and the current version, and one started after the
 * drain serves only the new one, and a rollback to the retired version makes a running worker serve it again. Its own redis-server: the test moves the shared queues' current
 * versions, which other tests must not see.
 */
class VersionRolloutTest {
    private static final AlertChannel ALERTS = new RecordingAlertChannel();

    @TempDir
    Path temp;

    @Test
    void workersFollowANewVersionServeTheDrainingOneUntilItRetiresAndARequestFinishesAcrossTheRollout() throws Exception {
        Path apks = Files.createDirectories(temp.resolve("apks"));
        Path mother = PipelineFixture.mother(apks, "game.apk", 5);
        try (EmbeddedRedis redis = EmbeddedRedis.start();
             RedisQueueBroker broker = new RedisQueueBroker(RedisConnector.open(redis.url(), 4), redis.url(), Clock.systemUTC(), Retention.DEFAULT, true);
             UnifiedJedis jedis = RedisConnector.open(redis.url(), 4)) {
            PipelineFixture.ensureStageQueues(broker);
            WorkerConfig config = WorkerConfig.read(Settings.parse("rollout.yml", PipelineFixture.yaml(redis.url(), apks, temp, ""),
                    Map.of("PACKLINE_WORKER_VERSION_CHECK_INTERVAL", "200ms")));
            QueueInspector admin = new QueueInspector(broker, Clock.systemUTC());
            QueueVersion package1 = QueueVersion.of("package", 1);
            QueueVersion upload1 = QueueVersion.of("upload", 1);
            RequestStore requests = new RequestStore(jedis, Clock.systemUTC(), Duration.ofDays(1));
            Submitter submitter = new Submitter(requests, new QueueClient(broker), 5, Duration.ofMinutes(2));

            // a request's package jobs wait on version 1 while no worker runs
            PackagingRequest request = PipelineFixture.request(mother, 6, List.of());
            submitter.submit(request);
            assertEquals(6, broker.counts(package1).pending());

            try (WorkerApp before = new WorkerApp(config, PackagingTools.channelBuilder(), PackagingTools.patchMaker(), ALERTS, Clock.systemUTC())) {
                assertEquals(List.of(package1, upload1, QueueVersion.of("diff", 1), QueueVersion.of("notify", 1)), before.queues());
                // the rollout, before the worker takes any job: the package jobs stay on the draining version 1,
                // and the upload jobs they enqueue land on the current version 2
                QueueVersion upload2 = admin.newVersion("upload");
                admin.setCurrent(upload2);
                admin.markDraining(upload1);
                // version 1 of upload is empty: every worker's clean-up would retire it at its first round, and this
                // test looks at a draining version that workers still serve; kept, only the admin's drain below retires it
                CleanupSchedule.announced(jedis, broker, Clock.systemUTC()).keep(upload1, true);
                before.start();
                Set<QueueVersion> appeared = before.versionsAppeared().get(20, TimeUnit.SECONDS);
                assertEquals(Set.of(upload2), appeared, "the running worker noticed the version the admin added");
                assertEquals(Set.of(upload2), before.unservedVersions(), "what WorkerMain asks when all of a worker's versions retired");
            }

            try (WorkerApp during = new WorkerApp(config, PackagingTools.channelBuilder(), PackagingTools.patchMaker(), ALERTS, Clock.systemUTC()).start()) {
                assertTrue(during.queues().containsAll(List.of(package1, upload1, QueueVersion.of("upload", 2))),
                        "a worker started during the rollout serves the draining and the current version: " + during.queues());
                RequestStatus status = PipelineEndToEndTest.awaitFinished(requests, request.id(), 120);
                assertEquals("done", status.state(), status.toString());
                assertEquals(0, broker.counts(upload1).unfinished());
                // the request finishes inside the last upload's handler; its acknowledgement follows a moment later
                long ackDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (broker.counts(QueueVersion.of("upload", 2)).done() < 6 && System.nanoTime() < ackDeadline) {
                    Thread.sleep(20);
                }
                assertEquals(6, broker.counts(QueueVersion.of("upload", 2)).done(), "every upload ran on the new version");
                admin.drain(upload1, Duration.ofSeconds(30), Duration.ofMillis(100), c -> { });
                assertFalse(during.versionsAppeared().isDone(), "a version retiring is no reason to restart");
                assertTrue(during.unservedVersions().isEmpty(), during.unservedVersions().toString());

                // a rollback to the retired version 1: its fetch loop has stopped, so the worker restarts to serve it again
                new VersionRollback(jedis, broker, Clock.systemUTC()).rollback(upload1);
                assertEquals(Set.of(upload1), during.versionsAppeared().get(20, TimeUnit.SECONDS), "a reactivated version counts as appeared");
            }

            try (WorkerApp after = new WorkerApp(config, PackagingTools.channelBuilder(), PackagingTools.patchMaker(), ALERTS, Clock.systemUTC())) {
                assertTrue(after.queues().containsAll(List.of(upload1, QueueVersion.of("upload", 2))),
                        "the rolled-back-to version and the draining one are served: " + after.queues());
            }
        }
    }
}
