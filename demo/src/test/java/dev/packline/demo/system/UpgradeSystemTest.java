package dev.packline.demo.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.packline.pipeline.Stage;
import dev.packline.queue.QueueCounts;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.VersionState;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.redis.Retention;
import dev.packline.redis.EmbeddedRedis;
import dev.packline.redis.RedisConnector;
import dev.packline.storage.s3proxy.DialectAdapter.Dialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A queue upgrade while the pipeline runs, done the way {@code bin/packline admin} does it
 * ({@link QueueInspector}: version new, set-current, drain): a request is running on version 1 of
 * every stage's queue when the admin creates version 2 of each, makes it current and drains
 * version 1. The running request finishes (its remaining jobs on the draining version 1, the
 * stages' follow-up jobs on version 2), every version 1 ends retired and empty, and a request
 * submitted afterwards runs entirely on version 2. Nobody restarts a worker by hand: the workers
 * notice the new versions themselves.
 *
 * <p>120 channels for the running request (not 200) and 20 for the later one, to keep the three
 * system tests within their time budget; the rollout starts when the first ten have ended.
 */
class UpgradeSystemTest {
    private static final int RUNNING = 120;
    private static final int LATER = 20;
    private static final Map<String, String> OPERATOR_SETTINGS = Map.of(
            "PACKLINE_WORKER_VERSION_CHECK_INTERVAL", "1s",
            "PACKLINE_WORKER_MAX_JOBS_PER_WORKER", "0");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // logs and downloads stay for a failure
    Path dir;

    @Test
    void aRequestRunningOnVersionOneFinishesWhileTheAdminRollsToVersionTwoAndNewRequestsRunOnTwo() throws Exception {
        Path home = Path.of("").toAbsolutePath().getParent();
        List<String> running = Platform.channelNames("up-a", RUNNING);
        List<String> later = Platform.channelNames("up-b", LATER);
        try (EmbeddedRedis redis = EmbeddedRedis.start();
             Platform platform = Platform.start(home, dir, redis.url(), Dialect.OSS, OPERATOR_SETTINGS);
             RedisQueueBroker broker = new RedisQueueBroker(RedisConnector.open(redis.url(), 2), redis.url(), Clock.systemUTC(),
                     Retention.DEFAULT, true)) {
            QueueInspector admin = new QueueInspector(broker, Clock.systemUTC());
            String first = platform.submit("upgrade-a-" + dir.getFileName(), running);
            platform.awaitChannelsEnded(first, 10, Duration.ofMinutes(3));
            JsonNode midway = platform.status(first).orElseThrow();
            assertTrue(midway.path("channels").path("ended").asInt() < RUNNING, "the rollout starts while the request runs: "
                    + Platform.summary(midway));

            // bin/packline admin version new / version set-current / drain, for every stage's queue
            List<QueueVersion> olds = new ArrayList<>();
            for (Stage stage : Stage.values()) {
                QueueVersion old = admin.current(stage.queueName()).orElseThrow();
                QueueVersion next = admin.newVersion(stage.queueName());
                admin.setCurrent(next);
                assertEquals(old.version() + 1, next.version());
                olds.add(old);
            }
            for (QueueVersion old : olds) {
                admin.drain(old, Duration.ofMinutes(3), Duration.ofMillis(500), counts -> { });
            }

            JsonNode firstStatus = platform.awaitEnded(first, Duration.ofMinutes(3));
            assertEquals("done", firstStatus.path("state").asText(), Platform.summary(firstStatus));
            QueueVersion package2 = QueueVersion.of(Stage.PACKAGE.queueName(), 2);
            long packageDoneOnTwoBefore = broker.counts(package2).done();
            assertEquals(0, packageDoneOnTwoBefore, "no package job of the running request moved to version 2");

            String second = platform.submit("upgrade-b-" + dir.getFileName(), later);
            JsonNode secondStatus = platform.awaitEnded(second, Duration.ofMinutes(3));
            assertEquals("done", secondStatus.path("state").asText(), Platform.summary(secondStatus));

            List<String> problems = new ArrayList<>(SystemChecks.awaitNoJobLeft(redis.url(), Duration.ofSeconds(60)));
            for (QueueVersion old : olds) {
                QueueCounts counts = broker.counts(old);
                if (counts.state() != VersionState.RETIRED || counts.unfinished() != 0) {
                    problems.add(old + " is " + counts.state() + " with " + counts.unfinished() + " unfinished jobs");
                }
            }
            long laterOnTwo = broker.counts(package2).done();
            if (laterOnTwo != LATER) {
                problems.add("the later request's " + LATER + " package jobs should all have run on " + package2 + ": " + laterOnTwo);
            }
            long uploadsOnTwo = broker.counts(QueueVersion.of(Stage.UPLOAD.queueName(), 2)).done();
            if (uploadsOnTwo < LATER) {
                problems.add("the later request's uploads should have run on upload version 2: " + uploadsOnTwo + " done there");
            }
            List<String> all = new ArrayList<>(running);
            all.addAll(later);
            problems.addAll(SystemChecks.channelsInStore(platform, List.of(platform.status(first).orElseThrow(),
                    platform.status(second).orElseThrow()), all, true));
            Set<String> stored = platform.storedKeys().stream().collect(Collectors.toSet());
            problems.addAll(SystemChecks.countsMatchStore(platform.status(first).orElseThrow(), RUNNING,
                    running.stream().filter(n -> stored.contains(Platform.PREFIX + n + ".apk")).count()));
            problems.addAll(SystemChecks.countsMatchStore(platform.status(second).orElseThrow(), LATER,
                    later.stream().filter(n -> stored.contains(Platform.PREFIX + n + ".apk")).count()));
            assertTrue(problems.isEmpty(), problems + "\nlogs in " + platform.logs());
            assertTrue(platform.webhook().verifiedFor(first) && platform.webhook().verifiedFor(second),
                    platform.webhook().describe(first) + "; " + platform.webhook().describe(second));
            platform.checkAlive();
        }
    }

}
