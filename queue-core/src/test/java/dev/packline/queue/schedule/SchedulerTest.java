package dev.packline.queue.schedule;

import dev.packline.queue.JobRecord;
import dev.packline.queue.JobState;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestClock;
import dev.packline.queue.TestRedis;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.redis.PeriodicTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Schedules on a real Redis with a clock the test moves: one job per tick however many schedulers
 * race, a crash between enqueue and advance, a restart after missed ticks, pause and resume, a
 * queue that cannot take the job yet, and definitions refused with every problem.
 */
class SchedulerTest {
    private static final Instant START = Instant.parse("2026-12-05T13:00:30Z");
    private final TestClock clock = new TestClock(START.toEpochMilli());
    private final String space = "test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    private RedisQueueBroker broker;
    private UnifiedJedis redis;
    private ScheduleStore store;
    private QueueInspector inspector;
    private QueueVersion queue;

    @BeforeEach
    void setUp() {
        broker = TestRedis.broker(clock);
        redis = TestRedis.client();
        store = new ScheduleStore(redis, clock, space);
        inspector = new QueueInspector(broker, clock);
        queue = inspector.ensureQueue(TestRedis.uniqueQueue("scheduled"));
    }

    @AfterEach
    void tearDown() {
        store.list().forEach(e -> store.remove(e.schedule().name()));
        broker.obliterate(queue, true);
        broker.close();
        redis.close();
    }

    private Scheduler scheduler() {
        return new Scheduler(new ScheduleStore(TestRedis.client(), clock, space), new QueueClient(broker), clock, Duration.ofSeconds(1),
                PeriodicTask.Failures.NONE, round -> {
                });
    }

    private Schedule everyMinute(String name) {
        return new Schedule(name, queue.name(), "{\"task\":\"trim-requests\"}", null, Duration.ofMinutes(1), null, "bulk", "housekeeping", false);
    }

    private List<String> jobIds() {
        List<String> ids = new ArrayList<>(inspector.jobIds(queue, JobState.PENDING, 0, 1000));
        ids.sort(null);
        return ids;
    }

    @Test
    void racingSchedulersEnqueueExactlyOneJobPerTick() throws Exception {
        store.put(everyMinute("trim"));
        assertEquals(Instant.parse("2026-12-05T13:01:00Z"), store.list().getFirst().nextTick().orElseThrow());
        List<Scheduler> schedulers = List.of(scheduler(), scheduler(), scheduler(), scheduler(), scheduler());
        ExecutorService pool = Executors.newFixedThreadPool(schedulers.size());
        try {
            for (int minute = 1; minute <= 5; minute++) {
                clock.advance(Duration.ofMinutes(1));
                List<Future<Scheduler.Round>> rounds = new ArrayList<>();
                for (Scheduler s : schedulers) {
                    rounds.add(pool.submit((Callable<Scheduler.Round>) s::fireDue));
                }
                int fired = 0;
                for (Future<Scheduler.Round> r : rounds) {
                    fired += r.get().fired();
                }
                assertEquals(1, fired, "minute " + minute + ": one of five schedulers created the tick's job");
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> expected = new ArrayList<>();
        for (int minute = 1; minute <= 5; minute++) {
            expected.add("sched:trim:" + Instant.parse("2026-12-05T13:00:00Z").plus(Duration.ofMinutes(minute)).toEpochMilli());
        }
        assertEquals(expected, jobIds());
        JobRecord job = inspector.job(queue, expected.getFirst()).orElseThrow();
        assertEquals("{\"task\":\"trim-requests\"}", job.payload());
        assertEquals("bulk", job.record().get("level"));
        assertEquals("housekeeping", job.record().get("group"));
        assertEquals(Instant.parse("2026-12-05T13:06:00Z"), store.list().getFirst().nextTick().orElseThrow());
    }

    @Test
    void aSchedulerThatDiedAfterTheEnqueueLeavesTheTickToTheNextWithoutADuplicate() {
        Schedule trim = everyMinute("trim");
        store.put(trim);
        clock.advance(Duration.ofMinutes(1));
        long tick = Instant.parse("2026-12-05T13:01:00Z").toEpochMilli();
        new QueueClient(broker).enqueue(queue, trim.job(tick)); // the dead scheduler's enqueue; it never advanced

        Scheduler.Round round = scheduler().fireDue();
        assertEquals(new Scheduler.Round(0, 1, 0), round, "the tick's job was there already");
        assertEquals(1, jobIds().size());
        assertEquals(Instant.parse("2026-12-05T13:02:00Z"), store.list().getFirst().nextTick().orElseThrow(), "moved on");
    }

    @Test
    void ticksMissedWhileNoSchedulerRanFireOnceAfterTheRestart() {
        store.put(everyMinute("trim"));
        clock.advance(Duration.ofMinutes(10)); // every worker was down for ten ticks
        Scheduler restarted = scheduler();
        assertEquals(1, restarted.fireDue().fired());
        assertEquals(0, restarted.fireDue().fired(), "the missed ticks are one run, not ten");
        assertEquals(List.of("sched:trim:" + Instant.parse("2026-12-05T13:01:00Z").toEpochMilli()), jobIds());
        assertEquals(Instant.parse("2026-12-05T13:11:00Z"), store.list().getFirst().nextTick().orElseThrow());
        clock.advance(Duration.ofMinutes(1));
        assertEquals(1, scheduler().fireDue().fired(), "and the next tick comes on time");
        assertEquals(2, jobIds().size());
    }

    @Test
    void aPausedScheduleFiresNothingAndResumesFromNow() {
        store.put(everyMinute("trim").withPaused(true));
        assertTrue(store.list().getFirst().nextTick().isEmpty());
        clock.advance(Duration.ofMinutes(5));
        assertEquals(0, scheduler().fireDue().fired());
        assertEquals(ScheduleStore.Change.UPDATED, store.put(store.get("trim").orElseThrow().withPaused(false)));
        assertEquals(Instant.parse("2026-12-05T13:06:00Z"), store.list().getFirst().nextTick().orElseThrow(), "no catching up on a pause");
        assertTrue(store.remove("trim"));
        assertFalse(store.remove("trim"));
        assertTrue(store.list().isEmpty());
    }

    @Test
    void aScheduleWhoseQueueCannotTakeTheJobStaysDue() {
        String missing = TestRedis.uniqueQueue("not-yet");
        store.put(new Schedule("later", missing, "{}", "*/5 * * * *", null, "Europe/Paris", null, null, false));
        clock.advance(Duration.ofMinutes(5));
        assertEquals(new Scheduler.Round(0, 0, 1), scheduler().fireDue());
        QueueVersion created = inspector.ensureQueue(missing);
        try {
            assertEquals(1, scheduler().fireDue().fired(), "fired once the queue exists");
            assertEquals(1, inspector.jobIds(created, JobState.PENDING, 0, 10).size());
        } finally {
            broker.obliterate(created, true);
        }
    }

    @Test
    void badDefinitionsAreRefusedWithEveryProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.put(
                new Schedule("bad name", "", "{}", "0 25 * * *", Duration.ofMinutes(1), "Mars/Olympus", "asap", "no spaces", false)));
        for (String expected : List.of("name:", "queue: required", "exactly one of a cron expression or an interval", "hour 25",
                "unknown time zone 'Mars/Olympus'", "unknown priority 'asap'", "group:")) {
            assertTrue(e.getMessage().contains(expected), expected + " in: " + e.getMessage());
        }
        assertTrue(store.list().isEmpty(), "nothing written");
    }
}
