package dev.packline.queue.upgrade;

import dev.packline.queue.NewJob;
import dev.packline.queue.QueueBroker.VersionChange;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueStateException;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestRedis;
import dev.packline.queue.VersionState;
import dev.packline.queue.redis.Keys;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.worker.Subscription;
import dev.packline.queue.worker.Worker;
import dev.packline.queue.worker.WorkerTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rollback on a real Redis, with the worker runtime running jobs of both versions while it happens. */
class VersionRollbackTest {

    private RedisQueueBroker broker;
    private UnifiedJedis redis;
    private QueueInspector inspector;
    private VersionRollback rollback;
    private String name;
    private final List<Worker> workers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        broker = TestRedis.broker(Clock.systemUTC());
        redis = TestRedis.client();
        inspector = new QueueInspector(broker, Clock.systemUTC());
        rollback = new VersionRollback(redis, broker, Clock.systemUTC());
        name = TestRedis.uniqueQueue("rollback");
    }

    @AfterEach
    void tearDown() {
        workers.forEach(Worker::close);
        for (QueueVersion v : broker.versions(name)) {
            broker.obliterate(v, true);
        }
        broker.close();
        redis.close();
    }

    @Test
    void aRollbackInTheMiddleOfTwoHundredJobsLosesAndRepeatsNone() throws Exception {
        QueueVersion v1 = inspector.ensureQueue(name);
        QueueVersion v2 = inspector.newVersion(name);
        inspector.setCurrent(v2);
        inspector.markDraining(v1);
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        Map<String, QueueVersion> ranOn = new ConcurrentHashMap<>();
        AtomicInteger doneOnTwo = new AtomicInteger();
        Worker worker = new Worker(Worker.Params.of(broker, List.of(
                new Subscription(v1, job -> record(job.id(), v1, runs, ranOn), 4, WorkerTest.QUICK_RETRY),
                new Subscription(v2, job -> {
                    Thread.sleep(15);
                    record(job.id(), v2, runs, ranOn);
                    doneOnTwo.incrementAndGet();
                }, 4, WorkerTest.QUICK_RETRY))).withTimings(WorkerTest.FAST)).start();
        workers.add(worker);

        // 200 channel jobs of one request on the current version 2, enqueued the way the submitter does
        QueueClient client = new QueueClient(broker);
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            jobs.add(NewJob.of("{\"channel\":" + i + "}").withId("pkg:req-1:" + i));
        }
        client.enqueueBatch(name, jobs);
        WorkerTest.await("a share of the request ran on version 2", () -> doneOnTwo.get() >= 30);

        VersionRollback.Result result = rollback.rollback(v1);

        assertEquals(v2, result.from());
        assertEquals("draining", result.targetWas());
        assertTrue(result.moved() > 0 && result.moved() < 170, "the jobs that had not started moved: " + result.moved());
        assertEquals(v1, inspector.current(name).orElseThrow());
        assertEquals(VersionState.ACTIVE, inspector.counts(v1).state());
        assertEquals(VersionState.DRAINING, inspector.counts(v2).state());
        // a new job after the rollback lands on version 1
        assertEquals(v1, client.enqueue(name, NewJob.of("{}").withId("pkg:req-2:0")).queue());

        WorkerTest.await("every job ran", () -> runs.size() == 201);
        WorkerTest.await("every ack is written", () -> inspector.counts(v1).unfinished() == 0 && inspector.counts(v2).unfinished() == 0);
        runs.forEach((id, count) -> assertEquals(1, count.get(), id + " ran " + count.get() + " times"));
        long onOne = ranOn.values().stream().filter(v1::equals).count();
        assertEquals(result.moved() + 1, onOne, "version 1 ran exactly the moved jobs and the new one");
        assertEquals(200 - result.moved(), inspector.counts(v2).done(), "version 2 finished what it had started");
    }

    @Test
    void aRetiredVersionComesBackAndTheRollbackIsRefusedWhenItCannotHold() {
        QueueVersion v1 = inspector.ensureQueue(name);
        QueueVersion v2 = inspector.newVersion(name);
        inspector.setCurrent(v2);
        inspector.markDraining(v1);
        broker.changeState(v1, VersionChange.RETIRE, false);

        assertThrows(QueueStateException.class, () -> rollback.rollback(v2), "rolling back to the current version");
        assertThrows(QueueStateException.class, () -> rollback.rollback(QueueVersion.of(name, 9)), "an unknown version");

        VersionRollback.Result result = rollback.rollback(v1);
        assertEquals("retired", result.targetWas());
        assertEquals(0, result.moved());
        assertEquals(VersionState.ACTIVE, inspector.counts(v1).state());
        assertEquals(v1, inspector.current(name).orElseThrow());
        assertEquals("2", redis.hget(Keys.registry(name), "rolledBackFrom"));
    }

    @Test
    void aSwitchAnotherAdminMadeMeanwhileIsNotUndone() {
        QueueVersion v1 = inspector.ensureQueue(name);
        QueueVersion v2 = inspector.newVersion(name);
        QueueVersion v3 = inspector.newVersion(name);
        inspector.setCurrent(v3);
        inspector.markDraining(v1);
        // an admin who read version 2 as current rolls back from it: the registry now says 3
        Object reply = dev.packline.redis.LuaScript.load(VersionRollback.SCRIPTS, "registry_rollback.lua").run(redis,
                List.of(Keys.registry(name)), List.of("1", "2", "0"));
        assertTrue(String.valueOf(reply).startsWith("the current version changed meanwhile (now 3)"), String.valueOf(reply));
        assertEquals(v3, inspector.current(name).orElseThrow());
    }

    @Test
    void aVersionIsNotRetiredHalfWayThroughAMoveAndAMoveEndsWhenTheCleanUpRetiredTheEmptiedVersion() {
        QueueVersion v1 = inspector.ensureQueue(name);
        QueueVersion v2 = inspector.newVersion(name);
        inspector.setCurrent(v2);
        new QueueClient(broker).enqueueBatch(v2, List.of(NewJob.of("{}").withId("a"), NewJob.of("{}").withId("b")));
        broker.changeState(v2, VersionChange.DRAIN, false);
        // what a mover that died between taking the jobs and forgetting them leaves: both in the migrating list
        Keys keys = new Keys(v2);
        redis.rpoplpush(keys.pending, keys.migrating);
        redis.rpoplpush(keys.pending, keys.migrating);
        assertEquals(0, broker.counts(v2).unfinished());
        QueueStateException refused = assertThrows(QueueStateException.class, () -> broker.changeState(v2, VersionChange.RETIRE, false),
                "a clean-up must not retire a version whose jobs are being moved");
        assertTrue(refused.getMessage().contains("being moved"), refused.getMessage());

        assertEquals(2, rollback.drainAndMove(v2, v1), "running the move again finishes it");
        assertEquals(2, broker.counts(v1).pending());
        assertEquals(VersionState.RETIRED, broker.changeState(v2, VersionChange.RETIRE, false));
        assertEquals(0, rollback.drainAndMove(v2, v1), "a version the clean-up retired once emptied has nothing left to move");
    }

    private static void record(String id, QueueVersion version, Map<String, AtomicInteger> runs, Map<String, QueueVersion> ranOn) {
        runs.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        ranOn.put(id, version);
    }
}
