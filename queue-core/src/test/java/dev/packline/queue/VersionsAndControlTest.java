package dev.packline.queue;

import dev.packline.queue.redis.Keys;
import dev.packline.queue.redis.RedisQueueBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

import java.time.Duration;
import java.util.ArrayList;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The version registry and the control operations admins use: pause, counts, lists, dead letters, drain, obliterate. */
class VersionsAndControlTest {
    private static final Duration LEASE = Duration.ofSeconds(10);
    private final TestClock clock = new TestClock();
    private RedisQueueBroker broker;
    private QueueClient client;
    private QueueInspector inspector;
    private String name;
    private UnifiedJedis redis;

    @BeforeEach
    void setUp() {
        broker = TestRedis.broker(clock);
        client = new QueueClient(broker);
        inspector = new QueueInspector(broker, clock);
        name = TestRedis.uniqueQueue("control");
        redis = TestRedis.client();
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
    void enqueueFollowsTheCurrentVersionAndRefusesDrainingOrRetiredOnes() {
        QueueVersion v1 = inspector.ensureQueue(name);
        assertEquals(1, v1.version());
        assertEquals(v1, client.enqueue(name, NewJob.of("{}")).queue());

        QueueVersion v2 = inspector.newVersion(name);
        assertEquals(v1, inspector.current(name).orElseThrow(), "a new version is not current until told");
        inspector.setCurrent(v2);
        assertEquals(v2, client.enqueue(name, NewJob.of("{}")).queue(), "producers switch at once");

        inspector.markDraining(v1);
        VersionNotAcceptingJobsException refused = assertThrows(VersionNotAcceptingJobsException.class,
                () -> client.enqueue(v1, NewJob.of("{}")));
        assertEquals("draining", refused.state());
        assertTrue(refused.getMessage().contains(name) && refused.getMessage().contains("draining"), refused.getMessage());
        assertTrue(inspector.versions(name).stream().anyMatch(s -> s.current() && s.counts().queue().equals(v2)));
        assertTrue(broker.queueNames().contains(name));
    }

    @Test
    void theRegistryRefusesInvalidChangesWithReasons() {
        QueueVersion v1 = inspector.ensureQueue(name);
        assertTrue(assertThrows(QueueStateException.class, () -> inspector.markDraining(v1)).getMessage().contains("current"));
        QueueVersion v2 = inspector.newVersion(name);
        inspector.setCurrent(v2);
        inspector.markDraining(v1);
        assertTrue(assertThrows(QueueStateException.class, () -> inspector.setCurrent(v1)).getMessage().contains("draining"));
        assertTrue(assertThrows(QueueStateException.class, () -> inspector.setCurrent(QueueVersion.of(name, 99))).getMessage().contains("no such version"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> inspector.ensureQueue("Bad Name")).getMessage().contains("invalid queue name"));
        assertTrue(assertThrows(QueueStateException.class, () -> client.enqueue("never-created-" + name, NewJob.of("{}"))).getMessage().contains("does not exist"));
    }

    @Test
    void aProducerRacingADrainLandsOnTheNewCurrentVersion() {
        QueueVersion v1 = inspector.ensureQueue(name);
        QueueVersion v2 = inspector.newVersion(name);
        inspector.setCurrent(v2);
        inspector.markDraining(v1);
        // this producer read the registry just before the switch: its first look still says v1
        AtomicInteger lookups = new AtomicInteger();
        QueueBroker stale = (QueueBroker) Proxy.newProxyInstance(QueueBroker.class.getClassLoader(), new Class<?>[]{QueueBroker.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("currentVersion") && lookups.getAndIncrement() == 0) {
                        return Optional.of(v1);
                    }
                    try {
                        return method.invoke(broker, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });

        Enqueued enqueued = new QueueClient(stale).enqueue(name, NewJob.of("{}"));

        assertEquals(v2, enqueued.queue());
        assertEquals(2, lookups.get(), "refused by v1, it read the registry again");
        assertEquals(0, broker.counts(v1).pending());
    }

    @Test
    void aPausedVersionHandsOutNothingUntilResumed() {
        QueueVersion v = inspector.ensureQueue(name);
        client.enqueue(name, NewJob.of("{}"));
        inspector.pause(v);

        QueueBroker.Fetch paused = broker.fetch(v, "w1", 10, null, LEASE);
        assertEquals(QueueBroker.Fetch.Status.PAUSED, paused.status());
        assertTrue(paused.jobs().isEmpty());
        assertTrue(broker.counts(v).paused());

        // a blocking fetch that raced the pause gives its job back untouched
        String moved = broker.awaitJob(v, "w1", Duration.ofSeconds(1)).orElseThrow();
        assertEquals(QueueBroker.Fetch.Status.PAUSED, broker.fetch(v, "w1", 10, moved, LEASE).status());
        assertEquals(1, broker.counts(v).pending());
        assertEquals(0, redis.llen(new Keys(v).active("w1")));

        inspector.resume(v);
        assertEquals(1, broker.fetch(v, "w1", 10, null, LEASE).jobs().size());
    }

    @Test
    void countsListsAndJobsReflectEachState() {
        QueueVersion v = inspector.ensureQueue(name);
        List<Enqueued> jobs = client.enqueueBatch(name, List.of(NewJob.of("{\"n\":1}"), NewJob.of("{\"n\":2}"), NewJob.of("{\"n\":3}"),
                NewJob.of("{\"n\":4}").withDelay(Duration.ofHours(1))));
        Job active = broker.fetch(v, "w1", 1, null, LEASE).jobs().get(0);
        Job failing = broker.fetch(v, "w1", 1, null, LEASE).jobs().get(0);
        broker.fail(v, "w1", new QueueBroker.Failure(failing, "boom", clock.millis() + 60_000, false));
        clock.advance(Duration.ofSeconds(3));

        QueueCounts counts = inspector.counts(v);
        assertEquals(1, counts.pending());
        assertEquals(1, counts.active());
        assertEquals(1, counts.retry());
        assertEquals(1, counts.delayed());
        assertEquals(3, counts.unfinished() - 1);
        assertEquals(1, counts.liveWorkers());
        assertEquals(clock.millis() - 3_000, counts.oldestPendingSinceMillis());
        assertEquals(4, counts.counter("enqueued"));
        assertEquals(List.of(jobs.get(2).id()), inspector.jobIds(v, JobState.PENDING, 0, 10));
        assertEquals(List.of(active.id()), inspector.jobIds(v, JobState.ACTIVE, 0, 10));
        assertEquals(List.of(failing.id()), inspector.jobIds(v, JobState.RETRY, 0, 10));
        assertEquals(List.of(jobs.get(3).id()), inspector.jobIds(v, JobState.DELAYED, 0, 10));
        JobRecord record = inspector.job(v, failing.id()).orElseThrow();
        assertEquals(JobState.RETRY, record.state());
        assertEquals("{\"n\":2}", record.payload());
        assertEquals("boom", record.lastError());
    }

    @Test
    void deadLettersCanBeRequeuedWithFreshAttemptsOrDeleted() {
        QueueVersion v = inspector.ensureQueue(name);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            client.enqueue(name, NewJob.of("{}").withMaxAttempts(1));
            Job job = broker.fetch(v, "w1", 1, null, LEASE).jobs().get(0);
            broker.fail(v, "w1", new QueueBroker.Failure(job, "bad", clock.millis(), false));
            ids.add(job.id());
        }
        assertEquals(3, inspector.counts(v).dead());

        assertEquals(1, inspector.requeueDead(v, List.of(ids.get(0), "no-such-job")));
        assertEquals(1, inspector.deleteDead(v, List.of(ids.get(1))));

        assertEquals(1, inspector.counts(v).dead());
        assertTrue(inspector.job(v, ids.get(1)).isEmpty());
        Job again = broker.fetch(v, "w1", 1, null, LEASE).jobs().get(0);
        assertEquals(ids.get(0), again.id());
        assertEquals(1, again.attempt(), "a requeued job gets all its attempts again");
    }

    @Test
    void drainWaitsUntilTheVersionIsEmptyThenRetiresIt() throws Exception {
        QueueVersion v1 = inspector.ensureQueue(name);
        client.enqueueBatch(name, List.of(NewJob.of("{}"), NewJob.of("{}")));
        inspector.setCurrent(inspector.newVersion(name));
        List<QueueCounts> progress = new ArrayList<>();

        CompletableFuture<QueueCounts> drained = CompletableFuture.supplyAsync(() -> {
            try {
                return inspector.drain(v1, Duration.ofSeconds(30), Duration.ofMillis(20), progress::add);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        assertFalse(drained.isDone(), "two jobs still pending");
        assertEquals(VersionState.DRAINING, broker.counts(v1).state());
        for (Job job : broker.fetch(v1, "w1", 2, null, LEASE).jobs()) {
            broker.complete(v1, "w1", List.of(new QueueBroker.Ack(job.id(), job.token())));
        }

        QueueCounts end = drained.get();
        assertEquals(VersionState.RETIRED, end.state());
        assertEquals(2, progress.get(0).pending());
        assertEquals(QueueBroker.Fetch.Status.RETIRED, broker.fetch(v1, "w1", 1, null, LEASE).status(), "workers of a retired version stop");
    }

    @Test
    void jobsNotStartedMoveToAnotherVersionWithTheirIdsAndRemainingBudget() {
        QueueVersion v1 = inspector.ensureQueue(name);
        client.enqueueBatch(name, List.of(NewJob.of("{\"n\":1}").withId("a"), NewJob.of("{\"n\":2}").withId("b").withMaxAttempts(3),
                NewJob.of("{\"n\":3}").withId("c").withDelay(Duration.ofMinutes(2))));
        Job failed = broker.fetch(v1, "w1", 1, null, LEASE).jobs().get(0);
        broker.fail(v1, "w1", new QueueBroker.Failure(failed, "flaky", clock.millis() + 60_000, false));
        QueueVersion v2 = inspector.newVersion(name);
        assertThrows(QueueStateException.class, () -> broker.migrate(v1, v2, 100), "only out of a draining version");
        inspector.setCurrent(v2);
        inspector.markDraining(v1);

        assertEquals(3, broker.migrate(v1, v2, 100));

        assertEquals(0, broker.counts(v1).unfinished());
        assertEquals(3, broker.counts(v1).counter("migrated"));
        QueueCounts target = broker.counts(v2);
        assertEquals(1, target.pending());
        assertEquals(2, target.delayed(), "the retry and the delayed job keep their remaining wait");
        assertEquals(4, ((Number) broker.job(v2, "a").orElseThrow().record().get("maxAttempts")).intValue(), "one attempt was used in v1");
        assertEquals("{\"n\":2}", broker.job(v2, "b").orElseThrow().payload());
        assertEquals(0, broker.migrate(v1, v2, 100));
    }

    @Test
    void anInterruptedMigrationIsFinishedByTheNextOne() {
        QueueVersion v1 = inspector.ensureQueue(name);
        client.enqueue(name, NewJob.of("{}").withId("half-moved"));
        QueueVersion v2 = inspector.newVersion(name);
        inspector.setCurrent(v2);
        inspector.markDraining(v1);
        // a migration that died after taking the job out of pending, before copying it
        redis.rpoplpush(new Keys(v1).pending, new Keys(v1).migrating);

        assertEquals(1, broker.migrate(v1, v2, 100));
        assertEquals(1, broker.counts(v2).pending());
        assertTrue(broker.job(v1, "half-moved").isEmpty());
    }

    @Test
    void throughputIsCountedPerMinute() {
        QueueVersion v = inspector.ensureQueue(name);
        for (int i = 0; i < 3; i++) {
            client.enqueue(name, NewJob.of("{}"));
            Job job = broker.fetch(v, "w1", 1, null, LEASE).jobs().get(0);
            broker.complete(v, "w1", List.of(new QueueBroker.Ack(job.id(), job.token())));
        }
        clock.advance(Duration.ofMinutes(1));
        assertEquals(3.0 / 5, broker.counts(v).completedPerMinute(clock.millis(), 5), 1e-9);
        clock.advance(Duration.ofMinutes(20));
        client.enqueue(name, NewJob.of("{}"));
        Job job = broker.fetch(v, "w1", 1, null, LEASE).jobs().get(0);
        broker.complete(v, "w1", List.of(new QueueBroker.Ack(job.id(), job.token())));
        assertEquals(1, broker.counts(v).counters().keySet().stream().filter(k -> k.startsWith("m:")).count(), "old minutes are dropped");
    }

    @Test
    void drainTimesOutWithWhatIsLeftAndStaysDraining() {
        QueueVersion v1 = inspector.ensureQueue(name);
        client.enqueue(name, NewJob.of("{}"));
        inspector.setCurrent(inspector.newVersion(name));
        clock.advance(Duration.ZERO);

        QueueStateException e = assertThrows(QueueStateException.class,
                () -> inspector.drain(v1, Duration.ZERO, Duration.ofMillis(1), c -> { }));
        assertTrue(e.getMessage().contains("1 jobs left"), e.getMessage());
        assertEquals(VersionState.DRAINING, broker.counts(v1).state());
    }

    @Test
    void obliterateIsRefusedForLiveVersionsAndRemovesEveryKeyOfARetiredOne() throws Exception {
        QueueVersion v1 = inspector.ensureQueue(name);
        client.enqueue(name, NewJob.of("{}"));
        Job job = broker.fetch(v1, "w1", 1, null, LEASE).jobs().get(0);
        assertTrue(assertThrows(QueueStateException.class, () -> inspector.obliterate(v1, false)).getMessage().contains("not retired"));

        inspector.setCurrent(inspector.newVersion(name));
        broker.changeState(v1, QueueBroker.VersionChange.DRAIN, false);
        assertThrows(QueueStateException.class, () -> broker.changeState(v1, QueueBroker.VersionChange.RETIRE, false),
                "an active job keeps it from retiring");
        broker.changeState(v1, QueueBroker.VersionChange.RETIRE, true);
        assertTrue(assertThrows(QueueStateException.class, () -> inspector.obliterate(v1, false)).getMessage().contains("active"));

        broker.complete(v1, "w1", List.of(new QueueBroker.Ack(job.id(), job.token())));
        assertTrue(inspector.obliterate(v1, false) > 0);

        String pattern = Keys.PREFIX + "{" + name + ":1}*";
        assertEquals(List.of(), TestRedis.keys(redis, pattern), "no key of the version is left");
        assertEquals(List.of(QueueVersion.of(name, 2)), broker.versions(name));
        broker.heartbeat(v1, "w1", LEASE);
        assertEquals(List.of(), TestRedis.keys(redis, pattern), "a late heartbeat does not bring keys back");
    }
}
