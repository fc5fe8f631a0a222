package dev.packline.queue;

import dev.packline.queue.QueueBroker.Ack;
import dev.packline.queue.QueueBroker.FailOutcome;
import dev.packline.queue.QueueBroker.Failure;
import dev.packline.queue.QueueBroker.Fetch;
import dev.packline.queue.redis.Keys;
import dev.packline.queue.redis.RedisQueueBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.UnifiedJedis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Enqueue, reliable fetch, complete, retry with backoff, dead letters: the broker on a real Redis, time moved by hand. */
class JobLifecycleTest {
    private static final Duration LEASE = Duration.ofSeconds(15);
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
        queue = new QueueInspector(broker, clock).ensureQueue(TestRedis.uniqueQueue("life"));
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
    void fetchMovesTheJobIntoTheWorkersActiveListBeforeHandingItOut() {
        Enqueued job = client.enqueue(queue.name(), NewJob.of("{\"apk\":\"a\"}"));

        Fetch fetch = broker.fetch(queue, "w1", 10, null, LEASE);

        assertEquals(Fetch.Status.OK, fetch.status());
        assertEquals(1, fetch.jobs().size());
        Job delivered = fetch.jobs().get(0);
        assertEquals(job.id(), delivered.id());
        assertEquals("{\"apk\":\"a\"}", delivered.payload());
        assertEquals(1, delivered.attempt());
        assertEquals(List.of(job.id()), redis.lrange(keys.active("w1"), 0, -1));
        assertEquals(0, redis.llen(keys.pending));
        assertEquals(JobState.ACTIVE, broker.job(queue, job.id()).orElseThrow().state());
        assertEquals(1, broker.counts(queue).active());
    }

    @Test
    void completeRemovesTheJobFromTheBackupAndDropsItsPayload() {
        Enqueued job = client.enqueue(queue.name(), NewJob.of("{}"));
        Job delivered = broker.fetch(queue, "w1", 1, null, LEASE).jobs().get(0);

        assertEquals(List.of(true), broker.complete(queue, "w1", List.of(new Ack(delivered.id(), delivered.token()))));

        assertEquals(0, redis.llen(keys.active("w1")));
        assertEquals(0, redis.zcard(keys.deadlines));
        JobRecord record = broker.job(queue, job.id()).orElseThrow();
        assertEquals(JobState.DONE, record.state());
        assertEquals(null, record.payload());
        assertEquals(1, broker.counts(queue).counter("completed"));
    }

    @Test
    void recordsKeepTheDeliveryFieldsFirstSoFetchAndAckRewriteThemWithoutDecodingJson() {
        Enqueued job = client.enqueue(queue.name(), NewJob.of("{}").withMaxAttempts(4).withTimeout(Duration.ofSeconds(7)));
        long created = clock.millis();
        assertEquals("{\"state\":\"pending\",\"worker\":\"\",\"deliveries\":0,\"finishedAt\":0,\"attempts\":0,\"startedAt\":0,"
                + "\"maxAttempts\":4,\"timeoutMs\":7000,\"availableAt\":" + created + ",\"createdAt\":" + created + "}", redis.hget(keys.meta, job.id()));
        JobRecord pending = broker.job(queue, job.id()).orElseThrow();
        assertFalse(pending.record().containsKey("worker"), "an empty worker reads as not set");
        assertFalse(pending.record().containsKey("startedAt"), "a zero start time reads as not set");

        clock.advance(Duration.ofMillis(5));
        Job delivered = broker.fetch(queue, "w-1", 1, null, LEASE).jobs().get(0);
        assertEquals(1, delivered.attempt());
        assertEquals(4, delivered.maxAttempts());
        assertEquals(Duration.ofSeconds(7), delivered.timeout());
        assertTrue(redis.hget(keys.meta, job.id()).startsWith("{\"state\":\"active\",\"worker\":\"w-1\",\"deliveries\":1,\"finishedAt\":0,\"attempts\":1,\"startedAt\":"
                + clock.millis() + ","));
        assertEquals((double) clock.millis() + 7000, redis.zscore(keys.deadlines, job.id()));

        clock.advance(Duration.ofMillis(5));
        assertEquals(List.of(true), broker.complete(queue, "w-1", List.of(new Ack(delivered.id(), delivered.token()))));
        JobRecord done = broker.job(queue, job.id()).orElseThrow();
        assertEquals(JobState.DONE, done.state());
        assertEquals(clock.millis(), ((Number) done.record().get("finishedAt")).longValue());
        assertEquals("w-1", done.record().get("worker"));
        assertEquals(created, ((Number) done.record().get("createdAt")).longValue());
    }

    @Test
    void recordsInAnyOtherFieldOrderStillFetchCompleteAndFailFencedByTheirToken() {
        // records as cjson.encode wrote them before the fixed layout (field order is cjson's): they take the decode path
        long now = clock.millis();
        for (String id : List.of("old-1", "old-2")) {
            redis.hset(keys.meta, id, "{\"maxAttempts\":2,\"timeoutMs\":9000,\"createdAt\":" + now + ",\"availableAt\":" + now
                    + ",\"deliveries\":0,\"attempts\":0,\"state\":\"pending\"}");
            redis.hset(keys.payload, id, "{}");
            redis.lpush(keys.pending, id);
        }
        List<Job> jobs = broker.fetch(queue, "w/odd\"id", 2, null, LEASE).jobs();
        assertEquals(List.of("old-1", "old-2"), jobs.stream().map(Job::id).toList());
        assertEquals(Duration.ofSeconds(9), jobs.get(0).timeout());
        assertEquals(2, jobs.get(0).maxAttempts());
        assertEquals("w/odd\"id", broker.job(queue, "old-1").orElseThrow().record().get("worker"), "a worker id JSON must escape round-trips");

        assertEquals(List.of(false), broker.complete(queue, "w/odd\"id", List.of(new Ack("old-1", "2"))), "a stale token is refused");
        assertEquals(List.of(false), broker.complete(queue, "another", List.of(new Ack("old-1", jobs.get(0).token()))), "another worker's ack is refused");
        assertEquals(List.of(true), broker.complete(queue, "w/odd\"id", List.of(new Ack("old-1", jobs.get(0).token()))));
        assertEquals(JobState.DONE, broker.job(queue, "old-1").orElseThrow().state());
        assertEquals(FailOutcome.RETRY_SCHEDULED, broker.fail(queue, "w/odd\"id", new Failure(jobs.get(1), "boom", clock.millis(), false)));
        JobRecord retried = broker.job(queue, "old-2").orElseThrow();
        assertEquals(JobState.RETRY, retried.state());
        assertEquals("boom", retried.record().get("lastError"));
    }

    @Test
    void jobsComeOutInTheOrderTheyWentIn() {
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            jobs.add(NewJob.of("{\"n\":" + i + "}"));
        }
        client.enqueueBatch(queue.name(), jobs);

        List<String> payloads = broker.fetch(queue, "w1", 5, null, LEASE).jobs().stream().map(Job::payload).toList();

        assertEquals(List.of("{\"n\":0}", "{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}"), payloads);
    }

    @Test
    void aBatchFetchFillsTheActiveListInTakeOrderAndSkipsJobsDeletedWhilePending() {
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            jobs.add(NewJob.of("{\"n\":" + i + "}"));
        }
        List<String> ids = client.enqueueBatch(queue.name(), jobs).stream().map(Enqueued::id).toList();
        redis.hdel(keys.meta, ids.get(2)); // as a dead-letter delete or obliterate leaves a pending id behind

        List<Job> first = broker.fetch(queue, "w1", 4, null, LEASE).jobs();

        assertEquals(List.of(ids.get(0), ids.get(1), ids.get(3)), first.stream().map(Job::id).toList());
        // the newest delivery on the left, as one LMOVE per job would leave it; the deleted one is gone
        assertEquals(List.of(ids.get(3), ids.get(1), ids.get(0)), redis.lrange(keys.active("w1"), 0, -1));
        assertEquals(List.of(ids.get(5), ids.get(4)), redis.lrange(keys.pending, 0, -1));
        assertEquals(3, redis.zcard(keys.deadlines));
        List<Job> rest = broker.fetch(queue, "w1", 10, null, LEASE).jobs();
        assertEquals(List.of(ids.get(4), ids.get(5)), rest.stream().map(Job::id).toList());
        assertEquals(0, redis.llen(keys.pending));
    }

    @Test
    void acksInAnyOrderTakeExactlyTheirJobsOutOfTheActiveList() {
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            jobs.add(NewJob.of("{\"n\":" + i + "}"));
        }
        client.enqueueBatch(queue.name(), jobs);
        List<Job> held = broker.fetch(queue, "w1", 8, null, LEASE).jobs(); // active list: 7 6 5 4 3 2 1 0
        List<String> ids = held.stream().map(Job::id).toList();
        redis.lpush(keys.active("w1"), ids.get(0)); // a second entry of the oldest: the right-most one goes, as LREM -1 takes it

        // the oldest but one, two in the middle and the newest: the right end holds only some of them
        List<Ack> acks = List.of(new Ack(ids.get(1), held.get(1).token()), new Ack(ids.get(4), held.get(4).token()),
                new Ack(ids.get(7), held.get(7).token()), new Ack(ids.get(3), held.get(3).token()));
        assertEquals(List.of(true, true, true, true), broker.complete(queue, "w1", acks));
        assertEquals(List.of(ids.get(0), ids.get(6), ids.get(5), ids.get(2), ids.get(0)), redis.lrange(keys.active("w1"), 0, -1));

        assertEquals(List.of(true), broker.complete(queue, "w1", List.of(new Ack(ids.get(0), held.get(0).token()))));
        assertEquals(List.of(ids.get(0), ids.get(6), ids.get(5), ids.get(2)), redis.lrange(keys.active("w1"), 0, -1));
    }

    @Test
    void oneCompleteCallAcksMoreJobsThanOneScriptTakesAndAnAckRepeatedInTheBatchCountsOnce() {
        int count = 2_500; // three script calls of at most 1000 acks
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            jobs.add(NewJob.of("{}"));
        }
        client.enqueueBatch(queue.name(), jobs);
        List<Ack> acks = new ArrayList<>();
        while (acks.size() < count) {
            for (Job job : broker.fetch(queue, "w1", 200, null, LEASE).jobs()) {
                acks.add(new Ack(job.id(), job.token()));
            }
        }
        List<Ack> batch = new ArrayList<>(acks);
        batch.add(1, acks.get(0)); // the same delivery twice in one script call
        batch.add(new Ack(acks.get(5).jobId(), "999")); // a token that was never this job's

        List<Boolean> results = broker.complete(queue, "w1", batch);

        assertEquals(count + 2, results.size());
        assertEquals(count, results.stream().filter(r -> r).count());
        assertEquals(false, results.get(1), "the repeated ack finds the job done");
        assertEquals(false, results.get(count + 1), "a wrong token changes nothing");
        assertEquals(0, redis.llen(keys.active("w1")));
        assertEquals(0, redis.zcard(keys.deadlines));
        assertEquals(0, redis.hlen(keys.payload));
        assertEquals(count, broker.counts(queue).counter("completed"));
        assertEquals(JobState.DONE, broker.job(queue, acks.get(count - 1).jobId()).orElseThrow().state());
    }

    @Test
    void aCallerGivenIdMakesEnqueueIdempotentEvenAfterTheJobIsDone() {
        Enqueued first = client.enqueue(queue.name(), NewJob.of("{}").withId("channel-42"));
        Enqueued second = client.enqueue(queue.name(), NewJob.of("{\"other\":1}").withId("channel-42"));
        assertTrue(first.created());
        assertFalse(second.created());
        assertEquals(1, broker.counts(queue).pending());

        Job delivered = broker.fetch(queue, "w1", 1, null, LEASE).jobs().get(0);
        broker.complete(queue, "w1", List.of(new Ack(delivered.id(), delivered.token())));
        assertFalse(client.enqueue(queue.name(), NewJob.of("{}").withId("channel-42")).created(),
                "a redelivered producer must not enqueue a finished job again while its record is retained");
        assertEquals(0, broker.counts(queue).pending());
    }

    @Test
    void batchEnqueueAddsEveryJobAcrossScriptChunks() {
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < 1_234; i++) {
            jobs.add(NewJob.of("{\"n\":" + i + "}").withId("job-" + i));
        }
        jobs.add(NewJob.of("{}").withId("job-7")); // duplicate inside the batch

        List<Enqueued> results = client.enqueueBatch(queue.name(), jobs);

        assertEquals(1_235, results.size());
        assertEquals(1_234, results.stream().filter(Enqueued::created).count());
        assertFalse(results.get(1_234).created());
        assertEquals(1_234, broker.counts(queue).pending());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"a\":1} trailing", "not json", "{\"a\":}"})
    void payloadsThatAreNotJsonAreRefusedWithAClearError(String payload) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> client.enqueue(queue.name(), NewJob.of(payload)));
        assertTrue(e.getMessage().contains("payload"), e.getMessage());
        assertEquals(0, broker.counts(queue).pending());
    }

    @Test
    void invalidJobOptionsAreRefusedNamingTheOption() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NewJob.of("{}").withMaxAttempts(0)).getMessage().contains("maxAttempts"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NewJob.of("{}").withTimeout(Duration.ZERO)).getMessage().contains("timeout"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NewJob.of("{}").withDelay(Duration.ofSeconds(-1))).getMessage().contains("delay"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NewJob.of("{}").withId("has space")).getMessage().contains("job id"));
    }

    @Test
    void aDelayedJobIsPromotedOnTheFetchPathWhenDue() {
        client.enqueue(queue.name(), NewJob.of("{}").withDelay(Duration.ofMinutes(5)));
        Fetch early = broker.fetch(queue, "w1", 1, null, LEASE);
        assertTrue(early.jobs().isEmpty());
        assertEquals(clock.millis() + Duration.ofMinutes(5).toMillis(), early.nextDueMillis(), "tells the fetcher how long to block");
        assertEquals(1, broker.counts(queue).delayed());

        clock.advance(Duration.ofMinutes(5));

        assertEquals(1, broker.fetch(queue, "w1", 1, null, LEASE).jobs().size());
    }

    @Test
    void aFailedJobRetriesAfterItsBackoffAndDeadLettersWhenAttemptsRunOut() {
        Enqueued job = client.enqueue(queue.name(), NewJob.of("{}").withMaxAttempts(2));

        Job first = broker.fetch(queue, "w1", 1, null, LEASE).jobs().get(0);
        long retryAt = clock.millis() + 30_000;
        assertEquals(FailOutcome.RETRY_SCHEDULED, broker.fail(queue, "w1", new Failure(first, "upload timed out", retryAt, false)));
        assertEquals(1, broker.counts(queue).retry());
        assertEquals(0, redis.llen(keys.active("w1")));
        assertTrue(broker.fetch(queue, "w1", 1, null, LEASE).jobs().isEmpty(), "not before its backoff");

        clock.advance(Duration.ofSeconds(30));
        Job second = broker.fetch(queue, "w1", 1, null, LEASE).jobs().get(0);
        assertEquals(2, second.attempt());
        assertTrue(second.isLastAttempt());
        assertEquals(FailOutcome.DEAD_LETTERED, broker.fail(queue, "w1", new Failure(second, "upload timed out again", clock.millis(), false)));

        JobRecord dead = broker.job(queue, job.id()).orElseThrow();
        assertEquals(JobState.DEAD, dead.state());
        assertEquals("upload timed out again", dead.lastError());
        assertEquals(2, dead.attempts());
        assertEquals("w1", dead.record().get("worker"));
        assertEquals("attempts exhausted", dead.record().get("deadReason"));
        assertEquals(2, ((List<?>) dead.record().get("errors")).size(), "each attempt's error is kept");
        assertEquals(List.of(job.id()), broker.jobIds(queue, JobState.DEAD, 0, 10));
        List<QueueBroker.DeadLetterEvent> events = broker.deadLetterEvents(queue, "0", 10);
        assertEquals(1, events.size());
        assertEquals(job.id(), events.get(0).jobId());
        assertEquals("upload timed out again", events.get(0).error());
        assertEquals(queue, events.get(0).queue());
        assertTrue(broker.deadLetterEvents(queue, events.get(0).streamId(), 10).isEmpty(), "reading after the last id gives nothing new");
    }

    @Test
    void deadLetterEventsGoToOneConsumerOfAGroupAndStayUntilAcknowledged() {
        for (int i = 0; i < 3; i++) {
            client.enqueue(queue.name(), NewJob.of("{}").withId("bad-" + i));
            Job job = broker.fetch(queue, "w1", 1, null, LEASE).jobs().get(0);
            broker.fail(queue, "w1", new Failure(job, "bad", clock.millis(), true));
        }

        List<QueueBroker.DeadLetterEvent> first = broker.claimDeadLetterEvents(queue, "alerts", "worker-a", 2);
        List<QueueBroker.DeadLetterEvent> second = broker.claimDeadLetterEvents(queue, "alerts", "worker-b", 10);
        assertEquals(List.of("bad-0", "bad-1"), first.stream().map(QueueBroker.DeadLetterEvent::jobId).toList());
        assertEquals(List.of("bad-2"), second.stream().map(QueueBroker.DeadLetterEvent::jobId).toList(), "never the same event twice");

        assertEquals(2, broker.claimDeadLetterEvents(queue, "alerts", "worker-a", 10).size(), "unacknowledged: handed again after a crash");
        broker.acknowledgeDeadLetterEvents(queue, "alerts", first.stream().map(QueueBroker.DeadLetterEvent::streamId).toList());
        assertTrue(broker.claimDeadLetterEvents(queue, "alerts", "worker-a", 10).isEmpty());
        assertEquals(3, broker.claimDeadLetterEvents(queue, "another-group", "x", 10).size(), "each group sees every event");
    }

    @Test
    void aRejectedJobGoesStraightToDeadLettersWithItsReason() {
        client.enqueue(queue.name(), NewJob.of("{}").withMaxAttempts(5));
        Job job = broker.fetch(queue, "w1", 1, null, LEASE).jobs().get(0);

        assertEquals(FailOutcome.DEAD_LETTERED, broker.fail(queue, "w1", new Failure(job, "channel name contains '/'", clock.millis(), true)));

        JobRecord dead = broker.job(queue, job.id()).orElseThrow();
        assertEquals("rejected", dead.record().get("deadReason"));
        assertEquals("channel name contains '/'", dead.lastError());
        assertEquals(1, dead.attempts());
    }

    @Test
    void deadLettersAreBoundedByCount() {
        try (RedisQueueBroker small = TestRedis.broker(clock, new dev.packline.queue.redis.Retention(100, Duration.ofHours(1), 3, Duration.ofDays(1), 100))) {
            for (int i = 0; i < 5; i++) {
                client.enqueue(queue.name(), NewJob.of("{}").withId("bad-" + i));
                Job job = small.fetch(queue, "w1", 1, null, LEASE).jobs().get(0);
                small.fail(queue, "w1", new Failure(job, "bad", clock.millis(), true));
                clock.advance(Duration.ofMillis(1));
            }
            assertEquals(List.of("bad-4", "bad-3", "bad-2"), small.jobIds(queue, JobState.DEAD, 0, 10));
            assertEquals(Optional.empty(), small.job(queue, "bad-0"), "trimmed dead letters leave no record");
        }
    }

    @Test
    void doneRecordsAndDeadLettersOlderThanTheirRetentionAgeAreTrimmed() {
        try (RedisQueueBroker aged = TestRedis.broker(clock, new dev.packline.queue.redis.Retention(100, Duration.ofMinutes(10), 100, Duration.ofDays(1), 100))) {
            Enqueued done = client.enqueue(queue.name(), NewJob.of("{}"));
            Job first = aged.fetch(queue, "w1", 1, null, LEASE).jobs().get(0);
            aged.complete(queue, "w1", List.of(new Ack(first.id(), first.token())));
            Enqueued dead = client.enqueue(queue.name(), NewJob.of("{}"));
            Job second = aged.fetch(queue, "w1", 1, null, LEASE).jobs().get(0);
            aged.fail(queue, "w1", new Failure(second, "bad", clock.millis(), true));

            clock.advance(Duration.ofMinutes(11));
            aged.trim(queue);
            assertTrue(aged.job(queue, done.id()).isEmpty(), "done record past 10 minutes is gone");
            assertEquals(JobState.DEAD, aged.job(queue, dead.id()).orElseThrow().state(), "dead letters are kept longer");

            clock.advance(Duration.ofDays(1));
            aged.trim(queue);
            assertTrue(aged.job(queue, dead.id()).isEmpty());
            assertEquals(0, redis.hlen(keys.payload));
            assertEquals(0, aged.counts(queue).dead());
        }
    }

    @Test
    void awaitJobWakesUpWhenAJobArrivesInsteadOfWaitingOutItsTimeout() throws Exception {
        CompletableFuture<Optional<String>> waiting = CompletableFuture.supplyAsync(() -> broker.awaitJob(queue, "w1", Duration.ofSeconds(20)));
        Thread.sleep(200);
        long before = System.nanoTime();
        Enqueued job = client.enqueue(queue.name(), NewJob.of("{}"));

        Optional<String> moved = waiting.get();

        assertEquals(Optional.of(job.id()), moved);
        assertTrue(System.nanoTime() - before < Duration.ofSeconds(10).toNanos(), "woke on the push, not at the 20 s timeout");
        assertEquals(List.of(job.id()), redis.lrange(keys.active("w1"), 0, -1), "already in the backup before any script ran");
        Fetch fetch = broker.fetch(queue, "w1", 5, moved.get(), LEASE);
        assertEquals(1, fetch.jobs().size());
        assertEquals(1, fetch.jobs().get(0).attempt());
    }
}
