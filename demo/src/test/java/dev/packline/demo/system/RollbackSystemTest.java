package dev.packline.demo.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.packline.pipeline.Stage;
import dev.packline.queue.GroupSettings;
import dev.packline.queue.JobState;
import dev.packline.queue.QueueCounts;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.VersionState;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.redis.Retention;
import dev.packline.queue.upgrade.VersionRollback;
import dev.packline.redis.EmbeddedRedis;
import dev.packline.redis.RedisConnector;
import dev.packline.storage.s3proxy.DialectAdapter.Dialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rollback in the middle of a request, done the way {@code bin/packline admin version rollback}
 * does it ({@link VersionRollback}): the package queue's version 2 is current and the worker
 * processes serve it when a request arrives; once some of its channels have ended, the admin rolls
 * the queue back to version 1. Version 2's package jobs that had not started move back to version
 * 1 and run there, its running ones finish where they are, and the request ends {@code done} with
 * every channel in the store exactly once: nothing lost, nothing run twice.
 *
 * <p>Version 2 caps the publisher's group at one running package job and the rollback comes once
 * three have been done there, so most of the request still waits on version 2 (parked at the cap)
 * whatever the machine's speed: the move is certain to have work to do while uploads of the first
 * channels run, and the test waits for conditions, never for a fixed time.
 */
class RollbackSystemTest {
    private static final int CHANNELS = 200; // the request size
    private static final String PUBLISHER = "demo";
    private static final Map<String, String> OPERATOR_SETTINGS = Map.of(
            "PACKLINE_WORKER_VERSION_CHECK_INTERVAL", "1s",
            "PACKLINE_WORKER_MAX_JOBS_PER_WORKER", "0");

    /** Waits until the workers have done this many package jobs on the version (the rollback comes in the middle of the request). */
    private static void awaitPackagedOn(RedisQueueBroker broker, QueueVersion version, long done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (broker.counts(version).done() < done) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(done + " package jobs were not done on " + version + " within " + timeout + ": " + broker.counts(version));
            }
            Thread.sleep(10);
        }
    }

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // logs and downloads stay for a failure
    Path dir;

    @Test
    void aRollbackMidRequestMovesTheWaitingJobsBackAndTheRequestEndsWithEveryChannelOnce() throws Exception {
        Path home = Path.of("").toAbsolutePath().getParent();
        List<String> channels = Platform.channelNames("rb", CHANNELS);
        try (EmbeddedRedis redis = EmbeddedRedis.start();
             RedisQueueBroker broker = new RedisQueueBroker(RedisConnector.open(redis.url(), 2), redis.url(), Clock.systemUTC(),
                     Retention.DEFAULT, true);
             UnifiedJedis jedis = RedisConnector.open(redis.url(), 2);
             Platform platform = Platform.start(home, dir, redis.url(), Dialect.OSS, OPERATOR_SETTINGS)) {
            QueueInspector admin = new QueueInspector(broker, Clock.systemUTC());
            QueueVersion package1 = admin.current(Stage.PACKAGE.queueName()).orElseThrow();
            // bin/packline admin version new / group set --cap 2 --version 2 / version set-current
            QueueVersion package2 = admin.newVersion(Stage.PACKAGE.queueName());
            broker.setGroupSettings(package2, PUBLISHER, new GroupSettings(GroupSettings.DEFAULT_WEIGHT, OptionalInt.of(1)));
            admin.setCurrent(package2);

            String request = platform.submit("rollback-" + dir.getFileName(), channels);
            awaitPackagedOn(broker, package2, 3, Duration.ofMinutes(2));

            VersionRollback.Result rolledBack = new VersionRollback(jedis, broker, Clock.systemUTC()).rollback(package1);
            assertEquals(package2, rolledBack.from());
            assertTrue(rolledBack.moved() >= CHANNELS / 2, "most of the request still waited on version 2: " + rolledBack);
            assertEquals(package1, admin.current(Stage.PACKAGE.queueName()).orElseThrow());

            JsonNode status = platform.awaitEnded(request, Duration.ofMinutes(3));
            assertEquals("done", status.path("state").asText(), Platform.summary(status));

            List<String> problems = new ArrayList<>(SystemChecks.awaitNoJobLeft(redis.url(), Duration.ofSeconds(60)));
            QueueCounts two = broker.counts(package2);
            if (two.state() != VersionState.DRAINING && two.state() != VersionState.RETIRED) {
                problems.add(package2 + " should be draining or retired after the rollback: " + two.state());
            }
            // each package job ran to its end once, on exactly one of the two versions
            Set<String> onOne = new HashSet<>(broker.jobIds(package1, JobState.DONE, 0, 10 * CHANNELS));
            Set<String> onTwo = new HashSet<>(broker.jobIds(package2, JobState.DONE, 0, 10 * CHANNELS));
            Set<String> both = onOne.stream().filter(onTwo::contains).collect(Collectors.toSet());
            if (!both.isEmpty()) {
                problems.add("package jobs done on both versions: " + both);
            }
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < CHANNELS; i++) {
                expected.add(Stage.packageJobId(request, i));
            }
            Set<String> done = new HashSet<>(onOne);
            done.addAll(onTwo);
            if (!done.equals(expected)) {
                problems.add("package jobs done are not the request's " + CHANNELS + ": missing "
                        + expected.stream().filter(id -> !done.contains(id)).toList() + ", extra " + done.stream().filter(id -> !expected.contains(id)).toList());
            }
            if (onOne.size() < rolledBack.moved()) {
                problems.add("the " + rolledBack.moved() + " moved jobs should have run on " + package1 + ": " + onOne.size() + " done there");
            }
            problems.addAll(SystemChecks.channelsInStore(platform, status, channels, true));
            Set<String> stored = platform.storedKeys().stream().collect(Collectors.toSet());
            problems.addAll(SystemChecks.countsMatchStore(status, CHANNELS,
                    channels.stream().filter(n -> stored.contains(Platform.PREFIX + n + ".apk")).count()));
            assertTrue(problems.isEmpty(), problems + "\nlogs in " + platform.logs());
            assertTrue(platform.webhook().verifiedFor(request), platform.webhook().describe(request));
            platform.checkAlive();
        }
    }
}
