package dev.packline.queue;

import dev.packline.queue.QueueBroker.Ack;
import dev.packline.queue.QueueBroker.FailOutcome;
import dev.packline.queue.QueueBroker.Failure;
import dev.packline.queue.QueueBroker.Recovery;
import dev.packline.queue.redis.Keys;
import dev.packline.queue.redis.RedisQueueBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.args.ListDirection;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Crash recovery and fencing: jobs of dead workers come back, and a late worker cannot ack a redelivered job. */
class RecoveryTest {
    private static final Duration LEASE = Duration.ofSeconds(10);
    private static final Duration GRACE = Duration.ofSeconds(30);
    private final TestClock clock = new TestClock();
    private RedisQueueBroker broker;
    private QueueClient client;
    private QueueVersion queue;
    private Keys keys;
    private UnifiedJedis redis;

    @BeforeEach
    void setUp() {
        broker = TestRedis.broker(clock);
        client = new QueueClient(broker);
        queue = new QueueInspector(broker, clock).ensureQueue(TestRedis.uniqueQueue("recover"));
        keys = new Keys(queue);
        redis = TestRedis.client();
    }

    @AfterEach
    void tearDown() {
        broker.obliterate(queue, true);
        broker.close();
        redis.close();
    }

    @Test
    void jobsOfAWorkerWhoseLeaseExpiredGoBackToTheFrontWithTheAttemptCounted() {
        Enqueued crashed = client.enqueue(queue.name(), NewJob.of("{\"n\":1}"));
        broker.fetch(queue, "dead-worker", 1, null, LEASE);
        Enqueued waiting = client.enqueue(queue.name(), NewJob.of("{\"n\":2}"));

        assertEquals(Recovery.NONE, broker.recover(queue, GRACE), "lease still valid: nothing moves");
        clock.advance(LEASE.plusMillis(1));
        assertEquals(new Recovery(1, 0), broker.recover(queue, GRACE));

        assertEquals(0, redis.llen(keys.active("dead-worker")));
        Job redelivered = broker.fetch(queue, "live-worker", 1, null, LEASE).jobs().get(0);
        assertEquals(crashed.id(), redelivered.id(), "returned to the front, ahead of " + waiting.id());
        assertEquals(2, redelivered.attempt());
        assertTrue(broker.job(queue, crashed.id()).orElseThrow().lastError().contains("dead-worker"));
    }

    @Test
    void aLateAckFromTheOldDeliveryIsRefused() {
        client.enqueue(queue.name(), NewJob.of("{}"));
        Job old = broker.fetch(queue, "slow-worker", 1, null, LEASE).jobs().get(0);
        clock.advance(LEASE.plusMillis(1));
        broker.recover(queue, GRACE);
        Job current = broker.fetch(queue, "other-worker", 1, null, LEASE).jobs().get(0);

        assertEquals(List.of(false), broker.complete(queue, "slow-worker", List.of(new Ack(old.id(), old.token()))));
        assertEquals(FailOutcome.LEASE_LOST, broker.fail(queue, "slow-worker", new Failure(old, "late", clock.millis(), false)));
        assertEquals(List.of(false), broker.complete(queue, "other-worker", List.of(new Ack(old.id(), old.token()))),
                "the old token is refused even from the new holder");

        assertEquals(JobState.ACTIVE, broker.job(queue, current.id()).orElseThrow().state(), "the new delivery is untouched");
        assertEquals(List.of(true), broker.complete(queue, "other-worker", List.of(new Ack(current.id(), current.token()))));
    }

    @Test
    void aJobMovedIntoAnActiveListWithoutALeaseIsNotOrphaned() {
        // A worker's blocking fetch moved the job, then the worker died before the script gave it a lease.
        Enqueued job = client.enqueue(queue.name(), NewJob.of("{}"));
        broker.heartbeat(queue, "half-worker", LEASE);
        redis.blmove(keys.pending, keys.active("half-worker"), ListDirection.RIGHT, ListDirection.LEFT, 1);
        assertEquals(0, redis.zcard(keys.deadlines), "no lease record exists");

        clock.advance(LEASE.plusMillis(1));
        assertEquals(new Recovery(1, 0), broker.recover(queue, GRACE));

        Job delivered = broker.fetch(queue, "w2", 1, null, LEASE).jobs().get(0);
        assertEquals(job.id(), delivered.id());
        assertEquals(1, delivered.attempt(), "it never started, so no attempt was used");
    }

    @Test
    void aJobWhoseLastAttemptDiedWithItsWorkerIsDeadLettered() {
        Enqueued job = client.enqueue(queue.name(), NewJob.of("{}").withMaxAttempts(1));
        broker.fetch(queue, "w1", 1, null, LEASE);
        clock.advance(LEASE.plusMillis(1));

        assertEquals(new Recovery(0, 1), broker.recover(queue, GRACE));

        JobRecord dead = broker.job(queue, job.id()).orElseThrow();
        assertEquals(JobState.DEAD, dead.state());
        assertEquals("worker lost", dead.record().get("deadReason"));
        assertEquals(1, broker.deadLetterEvents(queue, "0", 10).size());
    }

    @Test
    void aJobFarPastItsHardDeadlineIsTakenBackFromALiveWorker() {
        Enqueued job = client.enqueue(queue.name(), NewJob.of("{}").withTimeout(Duration.ofMinutes(1)));
        Job hung = broker.fetch(queue, "live-but-stuck", 1, null, LEASE).jobs().get(0);

        clock.advance(Duration.ofMinutes(1).plus(GRACE).minusSeconds(1));
        broker.heartbeat(queue, "live-but-stuck", LEASE);
        assertEquals(Recovery.NONE, broker.recover(queue, GRACE), "within the grace period the worker's own timeout acts");

        clock.advance(Duration.ofSeconds(2));
        broker.heartbeat(queue, "live-but-stuck", LEASE);
        assertEquals(new Recovery(1, 0), broker.recover(queue, GRACE), "a live lease does not keep a hung job forever");

        assertEquals(0, redis.llen(keys.active("live-but-stuck")));
        assertTrue(broker.job(queue, job.id()).orElseThrow().lastError().contains("hard timeout"));
        assertEquals(List.of(false), broker.complete(queue, "live-but-stuck", List.of(new Ack(hung.id(), hung.token()))));
    }

    @Test
    void releaseOnShutdownGivesJobsBackWithoutUsingAnAttempt() {
        client.enqueue(queue.name(), NewJob.of("{}"));
        broker.fetch(queue, "stopping", 1, null, LEASE);

        assertEquals(new Recovery(1, 0), broker.release(queue, "stopping"));

        assertEquals(1, broker.fetch(queue, "next", 1, null, LEASE).jobs().get(0).attempt());
        assertTrue(broker.workers(queue).stream().noneMatch(w -> w.workerId().equals("stopping")), "a stopped worker is forgotten");
    }

    @Test
    void aWorkerThatHeartbeatsAgainIsNotRecovered() {
        client.enqueue(queue.name(), NewJob.of("{}"));
        broker.fetch(queue, "w1", 1, null, LEASE);
        clock.advance(LEASE.minusSeconds(1));
        broker.heartbeat(queue, "w1", LEASE);
        clock.advance(Duration.ofSeconds(5));

        assertEquals(Recovery.NONE, broker.recover(queue, GRACE));
        assertEquals(1, redis.llen(keys.active("w1")));
    }
}
