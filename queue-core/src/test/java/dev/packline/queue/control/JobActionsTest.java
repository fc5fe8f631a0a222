package dev.packline.queue.control;

import dev.packline.queue.GroupSettings;
import dev.packline.queue.Job;
import dev.packline.queue.JobAction;
import dev.packline.queue.JobActionOutcome;
import dev.packline.queue.JobActionResult;
import dev.packline.queue.JobRecord;
import dev.packline.queue.JobState;
import dev.packline.queue.NewJob;
import dev.packline.queue.Priority;
import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueBroker.FailOutcome;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueCounts;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueStateException;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestClock;
import dev.packline.queue.TestRedis;
import dev.packline.queue.redis.Keys;
import dev.packline.queue.redis.RedisQueueBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cancel, run now, requeue, delete and bulk actions on a real Redis, from every state a job can be in. */
class JobActionsTest {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private TestClock clock;
    private RedisQueueBroker broker;
    private QueueClient client;
    private JobActions actions;
    private QueueVersion queue;

    @BeforeEach
    void setUp() {
        clock = new TestClock();
        broker = TestRedis.broker(clock);
        client = new QueueClient(broker);
        actions = new JobActions(broker);
        queue = new QueueInspector(broker, clock).ensureQueue(TestRedis.uniqueQueue("actions"));
    }

    @AfterEach
    void tearDown() {
        broker.obliterate(queue, true);
        broker.close();
    }

    private String enqueue(NewJob job) {
        return client.enqueue(queue, job).id();
    }

    private JobRecord record(String id) {
        return broker.job(queue, id).orElseThrow();
    }

    /** A job that failed once and waits for its retry. */
    private String retrying() {
        String id = enqueue(NewJob.of("{\"n\":1}").withMaxAttempts(3));
        Job job = broker.fetch(queue, "w", 1, null, LEASE).jobs().get(0);
        assertEquals(FailOutcome.RETRY_SCHEDULED, broker.fail(queue, "w", new QueueBroker.Failure(job, "boom", clock.millis() + 60_000, false)));
        return id;
    }

    private String dead(String error) {
        String id = enqueue(NewJob.of("{\"n\":2}").withMaxAttempts(1));
        Job job = broker.fetch(queue, "w", 1, null, LEASE).jobs().get(0);
        assertEquals(id, job.id(), "the test's queue holds nothing else ready");
        assertEquals(FailOutcome.DEAD_LETTERED, broker.fail(queue, "w", new QueueBroker.Failure(job, error, clock.millis(), false)));
        return id;
    }

    private void assertCancelledAndGone(String id) {
        JobRecord r = record(id);
        assertEquals(JobState.CANCELLED, r.state());
        assertNull(r.payload(), "a cancelled job's payload goes, as a done job's does");
        assertTrue(r.time("cancelledAt").isPresent());
        // the payload went with the cancel into its event, for whoever owns the job's work
        List<QueueBroker.DeadLetterEvent> events = broker.deadLetterEvents(queue, "0", 1000).stream()
                .filter(e -> e.jobId().equals(id)).toList();
        assertEquals(1, events.size(), "one event for the cancel of " + id + ": " + events);
        assertEquals(QueueBroker.DeadLetterEvent.Kind.CANCELLED, events.get(0).kind());
        assertEquals("cancelled by an admin", events.get(0).error());
        assertTrue(events.get(0).payload().isPresent(), "the event carries the payload: " + events.get(0));
    }

    @Test
    void cancelTakesAWaitingJobOutOfEveryPlaceItCanWait() {
        String retry = retrying();
        broker.setGroupSettings(queue, "capped", new GroupSettings(1, OptionalInt.of(1)));
        String runningCapped = enqueue(NewJob.of("{}").withGroup("capped"));
        String parked = enqueue(NewJob.of("{}").withGroup("capped"));
        assertEquals(List.of(runningCapped), broker.fetch(queue, "w", 2, null, LEASE).jobs().stream().map(Job::id).toList(),
                "the group's second job waits parked at its cap");
        String plain = enqueue(NewJob.of("{}"));
        String urgent = enqueue(NewJob.of("{}").withPriority(Priority.URGENT).withGroup("pub-b"));
        String delayed = enqueue(NewJob.of("{}").withDelay(Duration.ofMinutes(5)));
        try (UnifiedJedis redis = TestRedis.client()) {
            assertEquals(1, redis.zcard(new Keys(queue).parked));
        }

        for (String id : List.of(plain, urgent, parked, delayed, retry)) {
            JobActionResult result = actions.cancel(queue, id);
            assertEquals(JobActionOutcome.CANCELLED, result.outcome(), id + " " + result);
            assertCancelledAndGone(id);
        }
        QueueCounts after = broker.counts(queue);
        assertEquals(0, after.pending(), after.toString());
        assertEquals(0, after.delayed());
        assertEquals(0, after.retry());
        assertEquals(5, after.counter("cancelled"));
        try (UnifiedJedis redis = TestRedis.client()) {
            assertEquals(0, redis.zcard(new Keys(queue).parked), "the parked job left the parked set");
            assertEquals(null, redis.hget(new Keys(queue).groups, "parked:capped"), "and its group's parked count");
        }
        assertEquals(List.of(), broker.fetch(queue, "w2", 10, null, LEASE).jobs(), "nothing cancelled is ever handed out");
    }

    @Test
    void cancelOfARunningJobMarksItAndItsEndIsCancelledNeverARetry() {
        String id = enqueue(NewJob.of("{}").withMaxAttempts(5));
        Job job = broker.fetch(queue, "w1", 1, null, LEASE).jobs().get(0);

        JobActionResult result = actions.cancel(queue, id);
        assertEquals(JobActionOutcome.CANCEL_REQUESTED, result.outcome());
        assertEquals(JobState.ACTIVE, record(id).state(), "still running until its worker stops it");
        assertEquals(List.of(id), broker.cancelsRequested(queue, "w1"), "the holding worker sees the mark");
        assertEquals(List.of(), broker.cancelsRequested(queue, "w2"), "other workers do not");

        assertEquals(FailOutcome.CANCELLED, broker.fail(queue, "w1", new QueueBroker.Failure(job, "interrupted", clock.millis(), false)));
        assertCancelledAndGone(id);
        assertEquals(0, broker.counts(queue).retry());
        assertEquals(List.of(), broker.cancelsRequested(queue, "w1"), "the mark is gone with the job");
    }

    @Test
    void aRunningJobMarkedForCancelEndsCancelledWhenItsWorkerDiesOrStops() {
        String lost = enqueue(NewJob.of("{}"));
        broker.heartbeat(queue, "dying", LEASE);
        broker.fetch(queue, "dying", 1, null, LEASE);
        assertEquals(JobActionOutcome.CANCEL_REQUESTED, actions.cancel(queue, lost).outcome());
        clock.advance(LEASE.plusSeconds(1));
        broker.recover(queue, Duration.ofHours(1));
        assertCancelledAndGone(lost);

        String released = enqueue(NewJob.of("{}"));
        broker.fetch(queue, "stopping", 1, null, LEASE);
        actions.cancel(queue, released);
        broker.release(queue, "stopping");
        assertCancelledAndGone(released);
        assertEquals(0, broker.counts(queue).pending(), "neither went back to pending");
    }

    @Test
    void aCompletedJobKeepsItsOutcomeAndTheStaleMarkIsForgotten() {
        String id = enqueue(NewJob.of("{}"));
        Job job = broker.fetch(queue, "w1", 1, null, LEASE).jobs().get(0);
        actions.cancel(queue, id);
        assertEquals(List.of(true), broker.complete(queue, "w1", List.of(new QueueBroker.Ack(id, job.token()))));
        assertEquals(JobState.DONE, record(id).state(), "the job finished before its worker saw the cancel");
        assertEquals(List.of(), broker.cancelsRequested(queue, "w1"));
        try (UnifiedJedis redis = TestRedis.client()) {
            assertEquals(0, redis.hlen(new Keys(queue).cancels));
        }
    }

    @Test
    void actionsThatDoNotApplySayWhyWithTheJobsState() {
        String deadId = dead("bad input");
        String pending = enqueue(NewJob.of("{}"));
        record Case(JobAction action, String id, JobActionOutcome outcome, JobState state) {
        }
        for (Case c : List.of(
                new Case(JobAction.CANCEL, deadId, JobActionOutcome.NOT_APPLICABLE, JobState.DEAD),
                new Case(JobAction.RUN_NOW, pending, JobActionOutcome.NOT_APPLICABLE, JobState.PENDING),
                new Case(JobAction.RUN_NOW, deadId, JobActionOutcome.NOT_APPLICABLE, JobState.DEAD),
                new Case(JobAction.REQUEUE, pending, JobActionOutcome.NOT_APPLICABLE, JobState.PENDING),
                new Case(JobAction.CANCEL, "no-such-job", JobActionOutcome.NOT_FOUND, null),
                new Case(JobAction.DELETE, "no-such-job", JobActionOutcome.NOT_FOUND, null),
                new Case(JobAction.RUN_NOW, "no-such-job", JobActionOutcome.NOT_FOUND, null))) {
            JobActionResult r = actions.act(queue, c.action(), List.of(c.id())).get(0);
            assertEquals(c.outcome(), r.outcome(), c.toString());
            assertEquals(c.state(), r.state(), c.toString());
        }
        String running = enqueue(NewJob.of("{}"));
        broker.fetch(queue, "w", 10, null, LEASE);
        JobActionResult delete = actions.delete(queue, running);
        assertEquals(JobActionOutcome.NOT_APPLICABLE, delete.outcome());
        assertEquals(JobState.ACTIVE, delete.state());
    }

    @Test
    void runNowMakesDelayedAndRetryingJobsPendingWithTheirAttemptsKept() {
        String delayed = enqueue(NewJob.of("{}").withDelay(Duration.ofHours(1)));
        String retry = retrying();
        assertEquals(JobActionOutcome.MADE_PENDING, actions.runNow(queue, delayed).outcome());
        assertEquals(JobActionOutcome.MADE_PENDING, actions.runNow(queue, retry).outcome());
        assertEquals(JobState.PENDING, record(delayed).state());
        assertEquals(1, record(retry).attempts(), "run now keeps the attempt already used");
        List<String> fetched = broker.fetch(queue, "w", 10, null, LEASE).jobs().stream().map(Job::id).toList();
        assertTrue(fetched.containsAll(List.of(delayed, retry)), "both run at once, without waiting: " + fetched);
    }

    @Test
    void requeueGivesADeadLetterAFreshStartAndIsRefusedIntoARetiredVersion() {
        String id = dead("boom");
        String other = dead("boom");
        assertEquals(JobActionOutcome.MADE_PENDING, actions.requeue(queue, id).outcome());
        assertEquals(0, record(id).attempts());
        assertEquals(JobState.PENDING, record(id).state());

        broker.changeState(queue, QueueBroker.VersionChange.DRAIN, false);
        broker.changeState(queue, QueueBroker.VersionChange.RETIRE, true);
        QueueStateException refused = assertThrows(QueueStateException.class, () -> actions.requeue(queue, other));
        assertTrue(refused.getMessage().contains("retired"), refused.getMessage());
        assertEquals(JobState.DEAD, record(other).state(), "nothing changed");
    }

    @Test
    void deleteForgetsAJobInAnyStateButRunning() {
        String pending = enqueue(NewJob.of("{}").withGroup("g"));
        String delayed = enqueue(NewJob.of("{}").withDelay(Duration.ofMinutes(1)));
        String deadId = dead("x");
        String done = enqueue(NewJob.of("{}"));
        // done: fetch whatever is ready and complete the plain job
        for (Job j : broker.fetch(queue, "w", 10, null, LEASE).jobs()) {
            if (j.id().equals(done)) {
                broker.complete(queue, "w", List.of(new QueueBroker.Ack(j.id(), j.token())));
            } else {
                broker.release(queue, "w");
            }
        }
        for (String id : List.of(pending, delayed, deadId, done)) {
            assertEquals(JobActionOutcome.DELETED, actions.delete(queue, id).outcome(), id);
            assertTrue(broker.job(queue, id).isEmpty(), id);
        }
        QueueCounts c = broker.counts(queue);
        assertEquals(0, c.pending() + c.delayed() + c.dead() + c.done(), c.toString());
    }

    @Test
    void bulkActionsTakeEveryMatchingJobAndCountWhatTheyDid() {
        for (int i = 0; i < 250; i++) {
            enqueue(NewJob.of("{\"requestId\":\"" + (i % 2 == 0 ? "even" : "odd") + "\",\"i\":" + i + "}"));
        }
        JobFilter even = JobFilter.payloadField("requestId", "even");
        assertEquals(125, actions.count(queue, JobState.PENDING, even, JobAction.CANCEL));
        BulkResult result = actions.bulk(queue, JobState.PENDING, even, JobAction.CANCEL);
        assertEquals(125, result.matched());
        assertEquals(125, result.applied());
        assertEquals(125, result.count(JobActionOutcome.CANCELLED));
        assertEquals(125, broker.counts(queue).pending());
        assertEquals(0, actions.count(queue, JobState.PENDING, even, JobAction.CANCEL));

        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> actions.bulk(queue, JobState.PENDING, JobFilter.ANY, JobAction.RUN_NOW));
        assertTrue(wrong.getMessage().contains("delayed and retrying"), wrong.getMessage());

        BulkResult deleted = actions.bulk(queue, JobState.CANCELLED, JobFilter.ANY, JobAction.DELETE);
        assertEquals(125, deleted.applied());
        assertEquals(0, new JobBrowser(broker).count(queue, JobState.CANCELLED, JobFilter.ANY));
    }

    @Test
    void aBulkCancelOverALongBacklogKeepsTheRestInOrder() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            ids.add(enqueue(NewJob.of("{\"odd\":" + (i % 2 == 1) + "}")));
        }
        BulkResult result = actions.bulk(queue, JobState.PENDING, JobFilter.payloadField("odd", "true"), JobAction.CANCEL);
        assertEquals(750, result.count(JobActionOutcome.CANCELLED));
        List<String> evens = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += 2) {
            evens.add(ids.get(i));
        }
        List<String> fetched = new ArrayList<>();
        for (Job job : broker.fetch(queue, "w", 1000, null, LEASE).jobs()) {
            fetched.add(job.id());
        }
        assertEquals(evens, fetched, "the jobs left run oldest first, as before");
    }

    @Test
    void bulkRequeueOfDeadLettersMatchingAnError() {
        for (int i = 0; i < 3; i++) {
            dead("store refused: AccessDenied");
        }
        String other = dead("timeout");
        BulkResult result = actions.bulk(queue, JobState.DEAD, JobFilter.errorContains("AccessDenied"), JobAction.REQUEUE);
        assertEquals(3, result.applied());
        assertEquals(1, broker.counts(queue).dead());
        assertEquals(JobState.DEAD, record(other).state());
        assertFalse(record(other).errorHistory().isEmpty());
    }
}
