package dev.packline.queue.upgrade;

import dev.packline.queue.Job;
import dev.packline.queue.NewJob;
import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestClock;
import dev.packline.queue.TestRedis;
import dev.packline.queue.VersionState;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.redis.PeriodicTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.packline.queue.upgrade.CleanupSchedule.Status.DEAD_LETTERS_LEFT;
import static dev.packline.queue.upgrade.CleanupSchedule.Status.DRAINED;
import static dev.packline.queue.upgrade.CleanupSchedule.Status.DRAINING;
import static dev.packline.queue.upgrade.CleanupSchedule.Status.DUE;
import static dev.packline.queue.upgrade.CleanupSchedule.Status.IN_SERVICE;
import static dev.packline.queue.upgrade.CleanupSchedule.Status.KEPT;
import static dev.packline.queue.upgrade.CleanupSchedule.Status.SCHEDULED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The automatic clean-up of drained versions on a real Redis, with a clock the test moves by days. */
class VersionCleanerTest {
    private final TestClock clock = new TestClock();
    private RedisQueueBroker broker;
    private UnifiedJedis redis;
    private QueueInspector inspector;
    private CleanupSchedule schedule;
    private VersionCleaner cleaner;
    private final List<QueueVersion> removed = new ArrayList<>();
    private String name;

    @BeforeEach
    void setUp() {
        broker = TestRedis.broker(clock);
        redis = TestRedis.client();
        inspector = new QueueInspector(broker, clock);
        schedule = new CleanupSchedule(redis, broker, clock, CleanupSchedule.DEFAULT_GRACE);
        cleaner = new VersionCleaner(broker, schedule, Duration.ofMinutes(10), PeriodicTask.Failures.NONE,
                (version, keys) -> removed.add(version));
        name = TestRedis.uniqueQueue("cleanup");
    }

    @AfterEach
    void tearDown() {
        for (QueueVersion v : broker.versions(name)) {
            broker.obliterate(v, true);
        }
        broker.close();
        redis.close();
    }

    @Test
    void aDrainedVersionIsRetiredThenRemovedSevenDaysLaterAndTheCurrentOneNever() {
        QueueVersion v1 = inspector.ensureQueue(name);
        QueueVersion v2 = inspector.newVersion(name);
        new QueueClient(broker).enqueue(v1, NewJob.of("{}"));
        inspector.setCurrent(v2);
        inspector.markDraining(v1);

        assertEquals(DRAINING, cleaner.clean(v1), "a job is still waiting");
        assertEquals(IN_SERVICE, cleaner.clean(v2));
        runTheOnlyJob(v1);
        assertEquals(DRAINED, cleaner.clean(v1));
        assertEquals(VersionState.RETIRED, inspector.counts(v1).state(), "the cleaner retired the empty version");

        CleanupSchedule.Plan plan = schedule.plan(v1);
        assertEquals(SCHEDULED, plan.status());
        assertEquals(clock.millis() + Duration.ofDays(7).toMillis(), plan.removeAtMillis());
        clock.advance(Duration.ofDays(7).minusMinutes(1));
        assertEquals(SCHEDULED, cleaner.clean(v1));
        assertEquals(List.of(v1, v2), broker.versions(name), "still there a minute before its grace period ends");

        clock.advance(Duration.ofMinutes(1));
        cleaner.runOnce();
        assertEquals(List.of(v1), removed);
        assertEquals(List.of(v2), broker.versions(name));
        assertEquals(0, TestRedis.keys(redis, "pl:{" + name + ":1}:*").size(), "every key of the version is gone");
    }

    @Test
    void deadLettersHoldTheRemovalUntilHandledAndAKeptVersionStays() {
        QueueVersion v1 = inspector.ensureQueue(name);
        QueueVersion v2 = inspector.newVersion(name);
        QueueVersion v3 = inspector.newVersion(name);
        String dead = new QueueClient(broker).enqueue(v1, NewJob.of("{\"bad\":true}")).id();
        inspector.setCurrent(v3);
        Job job = broker.fetch(v1, "w-1", 1, null, Duration.ofSeconds(30)).jobs().get(0);
        broker.fail(v1, "w-1", new QueueBroker.Failure(job, "channel list is empty", clock.millis(), true));
        for (QueueVersion old : List.of(v1, v2)) {
            inspector.markDraining(old);
            assertEquals(DRAINED, cleaner.clean(old));
        }
        schedule.keep(v2, true);

        clock.advance(Duration.ofDays(8));
        assertEquals(DEAD_LETTERS_LEFT, cleaner.clean(v1));
        assertEquals("after 1 dead letters", schedule.plan(v1).describe());
        assertEquals(KEPT, cleaner.clean(v2));
        assertEquals(List.of(v1, v2, v3), broker.versions(name));

        inspector.deleteDead(v1, List.of(dead));
        assertEquals(DUE, cleaner.clean(v1));
        schedule.keep(v2, false);
        assertEquals(DUE, cleaner.clean(v2));
        assertEquals(List.of(v1, v2), removed);
        assertEquals(List.of(v3), broker.versions(name));
        assertTrue(removed.stream().noneMatch(v3::equals));
    }

    private void runTheOnlyJob(QueueVersion version) {
        Job job = broker.fetch(version, "w-1", 1, null, Duration.ofSeconds(30)).jobs().get(0);
        broker.complete(version, "w-1", List.of(new QueueBroker.Ack(job.id(), job.token())));
    }
}
