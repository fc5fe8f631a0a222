package dev.packline.queue.upgrade;

import dev.packline.queue.JobState;
import dev.packline.queue.NewJob;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueStateException;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestRedis;
import dev.packline.queue.redis.Keys;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.retry.Backoff;
import dev.packline.queue.worker.JobHandler;
import dev.packline.queue.worker.RejectJobException;
import dev.packline.queue.worker.Subscription;
import dev.packline.queue.worker.Worker;
import dev.packline.queue.worker.WorkerTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shadow runs on a real Redis and the worker runtime: a stable share of version 1's jobs is copied
 * to version 2, where the candidate handler runs them without the real handler ever seeing them;
 * outputs are compared, mismatches and failures kept with both results, and the real jobs end as
 * they would have without the run.
 */
class ShadowRunTest {
    private static final Backoff QUICK = new Backoff(Duration.ofMillis(10), 2.0, Duration.ofMillis(20), 0.0);

    private RedisQueueBroker broker;
    private UnifiedJedis redis;
    private ShadowStore store;
    private String name;
    private QueueVersion v1;
    private QueueVersion v2;
    private final List<Worker> workers = new ArrayList<>();
    /** Real jobs the real handler ran, by id: the side effects a shadow job must never cause. */
    private final Map<String, Integer> realRuns = new ConcurrentHashMap<>();
    private final Map<ShadowVerdict, AtomicInteger> verdicts = new ConcurrentHashMap<>();
    private final Map<ShadowStore.Copy, AtomicInteger> copies = new ConcurrentHashMap<>();

    @BeforeEach
    void setUp() {
        broker = TestRedis.broker(Clock.systemUTC());
        redis = TestRedis.client();
        store = new ShadowStore(redis, Clock.systemUTC());
        name = TestRedis.uniqueQueue("shadow");
        QueueInspector inspector = new QueueInspector(broker, Clock.systemUTC());
        v1 = inspector.ensureQueue(name);
        v2 = inspector.newVersion(name);
    }

    @AfterEach
    void tearDown() {
        workers.forEach(Worker::close);
        for (QueueVersion v : broker.versions(name)) {
            broker.obliterate(v, true);
        }
        redis.del(Keys.shadows(name), Keys.shadowResults(name, 1, 2), Keys.shadowExamples(name, 1, 2));
        broker.close();
        redis.close();
    }

    private ShadowRuns runs(Duration refresh) {
        return new ShadowRuns(store, broker, Clock.systemUTC(), refresh, new ShadowRuns.Listener() {
            @Override
            public void copied(QueueVersion source, QueueVersion candidate, ShadowStore.Copy copy) {
                copies.computeIfAbsent(copy, c -> new AtomicInteger()).incrementAndGet();
            }

            @Override
            public void compared(QueueVersion source, QueueVersion candidate, ShadowVerdict verdict) {
                verdicts.computeIfAbsent(verdict, v -> new AtomicInteger()).incrementAndGet();
            }
        });
    }

    /** The real handler: records that it ran (its side effect) and reports the payload's SHA-256 as its output. */
    private JobHandler realHandler(ShadowRuns runs) {
        return job -> {
            assertTrue(!ShadowRun.isShadowJob(job.id()), "a shadow job reached the real handler: " + job.id());
            realRuns.merge(job.id(), 1, Integer::sum);
            if (job.payload().contains("bad")) {
                throw new RejectJobException("bad input " + job.id());
            }
            runs.recordReal(job, ShadowResult.produced(Map.of("sha256", sha256(job.payload()), "size", Integer.toString(job.payload().length()))));
        };
    }

    private void startWorker(List<QueueVersion> served, JobHandler v1Handler, JobHandler v2Handler, int concurrency) {
        List<Subscription> subscriptions = new ArrayList<>();
        if (served.contains(v1)) {
            subscriptions.add(new Subscription(v1, v1Handler, concurrency, QUICK));
        }
        if (served.contains(v2)) {
            subscriptions.add(new Subscription(v2, v2Handler, concurrency, QUICK));
        }
        workers.add(new Worker(Worker.Params.of(broker, subscriptions).withTimings(WorkerTest.FAST)).start());
    }

    private List<String> enqueue(int count, String kind) {
        QueueClient client = new QueueClient(broker);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = "pkg:" + kind + ":" + i;
            client.enqueue(v1, NewJob.of("{\"n\":" + i + ",\"kind\":\"" + kind + "\"}").withId(id).withMaxAttempts(2));
            ids.add(id);
        }
        return ids;
    }

    @Test
    void aStableShareIsCopiedRunOnlyByTheCandidateAndEveryDifferenceIsReportedWithBothResults() throws Exception {
        ShadowRun run = new ShadowRun(name, 1, 2, 1000, ShadowRun.DEFAULT_MAX_BACKLOG, 2, System.currentTimeMillis());
        store.start(run);
        ShadowRuns runs = runs(ShadowRuns.DEFAULT_REFRESH);
        QueueClient client = new QueueClient(broker);
        // the candidate writes one byte differently for every seventh job
        ShadowHandler candidate = job -> {
            int n = Integer.parseInt(job.payload().replaceAll(".*\"n\":(\\d+),.*", "$1"));
            String payload = n % 7 == 0 ? job.payload() + " " : job.payload();
            return ShadowResult.produced(Map.of("sha256", sha256(payload), "size", Integer.toString(job.payload().length())));
        };
        JobHandler tapped1 = JobHandler.reporting(new ShadowTap(realHandler(runs), candidate, runs, client));
        JobHandler tapped2 = JobHandler.reporting(new ShadowTap(realHandler(runs), candidate, runs, client));
        startWorker(List.of(v1, v2), tapped1, tapped2, 4);

        List<String> ids = enqueue(400, "req");
        Set<String> expected = ids.stream().filter(run::copies).collect(Collectors.toSet());
        WorkerTest.await("every real job ran and every copy was compared", () -> realRuns.size() == 400
                && store.report(name, 1, 2).compared() == expected.size());

        ShadowReport report = store.report(name, 1, 2);
        assertTrue(expected.size() >= 20 && expected.size() <= 60, "10% of 400 within tolerance, got " + expected.size());
        assertEquals(expected.size(), report.copied(), "exactly the jobs in the stable share were copied");
        long differing = expected.stream().map(id -> Integer.parseInt(id.substring(id.lastIndexOf(':') + 1))).filter(n -> n % 7 == 0).count();
        assertTrue(differing > 0, "the share holds some seventh jobs");
        assertEquals(differing, report.mismatches());
        assertEquals(expected.size() - differing, report.matches());
        assertEquals(0, report.failures());
        assertEquals(0, report.waiting());
        assertEquals(Math.min(differing, ShadowStore.MAX_EXAMPLES), report.examples().size());
        for (ShadowReport.Example example : report.examples()) {
            assertTrue(expected.contains(example.job()), example.job());
            assertEquals(ShadowVerdict.MISMATCH, example.verdict());
            assertEquals(example.real().output().get("size"), example.shadow().output().get("size"));
            assertTrue(!example.real().output().get("sha256").equals(example.shadow().output().get("sha256")));
        }
        // the real side is untouched: every real job ran once and is done; the shadow jobs ended on v2 only
        assertTrue(realRuns.values().stream().allMatch(n -> n == 1), "a real job ran twice: " + realRuns);
        assertEquals(400, broker.counts(v1).done());
        assertEquals(expected.size(), broker.counts(v2).done());
        assertEquals(0, broker.counts(v1).dead() + broker.counts(v2).dead());
        assertTrue(broker.jobIds(v2, JobState.DONE, 0, 1000).stream().allMatch(ShadowRun::isShadowJob));
        assertEquals(expected.size(), verdicts.values().stream().mapToInt(AtomicInteger::get).sum() - verdicts.getOrDefault(ShadowVerdict.WAITING, new AtomicInteger()).get());
    }

    @Test
    void aFailingCandidateUsesItsOwnBudgetAndARealFailureIsRecordedWithoutChangingTheRealOutcome() throws Exception {
        store.start(new ShadowRun(name, 1, 2, StableBucket.ALL, ShadowRun.DEFAULT_MAX_BACKLOG, 2, System.currentTimeMillis()));
        ShadowRuns runs = runs(ShadowRuns.DEFAULT_REFRESH);
        QueueClient client = new QueueClient(broker);
        Map<String, Integer> candidateAttempts = new ConcurrentHashMap<>();
        ShadowHandler broken = job -> {
            candidateAttempts.merge(job.id(), 1, Integer::sum);
            throw new IllegalStateException("candidate cannot write " + job.id());
        };
        startWorker(List.of(v1, v2), JobHandler.reporting(new ShadowTap(realHandler(runs), broken, runs, client)),
                JobHandler.reporting(new ShadowTap(realHandler(runs), broken, runs, client)), 2);
        enqueue(5, "req");
        enqueue(2, "bad");

        WorkerTest.await("both sides of 7 jobs ended", () -> store.report(name, 1, 2).failures() == 7);
        ShadowReport report = store.report(name, 1, 2);
        assertEquals(7, report.copied());
        assertEquals(0, report.matches() + report.mismatches());
        assertEquals(Set.of(2), Set.copyOf(candidateAttempts.values()), "each shadow job had exactly its own budget of 2 attempts");
        assertEquals(7, broker.counts(v2).done(), "a failing shadow job completes: it never becomes a dead letter");
        assertEquals(0, broker.counts(v2).dead());
        assertEquals(5, broker.counts(v1).done(), "the real jobs ended as without the run");
        assertEquals(2, broker.counts(v1).dead());
        ShadowReport.Example bad = report.examples().stream().filter(e -> e.job().startsWith("pkg:bad:")).findFirst().orElseThrow();
        assertEquals(ShadowResult.Outcome.FAILED, bad.real().outcome());
        assertTrue(bad.real().error().contains("bad input"), bad.real().error());
        assertTrue(bad.shadow().error().contains("candidate cannot write"), bad.shadow().error());
    }

    @Test
    void copiesAreDroppedWhileTheCandidateHoldsItsBacklogBoundAndStopWhenTheRunStops() throws Exception {
        store.start(new ShadowRun(name, 1, 2, StableBucket.ALL, 3, 1, System.currentTimeMillis()));
        ShadowRuns runs = runs(Duration.ZERO);
        // nobody serves v2: its shadow jobs wait, so the bound is reached after three copies
        startWorker(List.of(v1), JobHandler.reporting(new ShadowTap(realHandler(runs), job -> {
            throw new AssertionError("no candidate runs here");
        }, runs, new QueueClient(broker))), null, 1);
        enqueue(20, "req");
        WorkerTest.await("the real jobs ran", () -> broker.counts(v1).done() == 20);
        ShadowReport report = store.report(name, 1, 2);
        assertEquals(3, report.copied());
        assertEquals(17, report.dropped());
        assertEquals(3, report.waiting(), "three real sides wait for shadows nobody runs");
        assertEquals(3, broker.counts(v2).pending());
        assertEquals(3, copies.get(ShadowStore.Copy.COPIED).get());

        assertEquals(Set.of(1), store.runs(name).stream().map(ShadowRun::from).collect(Collectors.toSet()));
        assertTrue(store.stop(name, 1).isPresent());
        assertTrue(store.runs(name).isEmpty());
        new QueueClient(broker).enqueue(v1, NewJob.of("{\"n\":99}").withId("pkg:after:0"));
        WorkerTest.await("the later job ran", () -> broker.counts(v1).done() == 21);
        ShadowReport afterStop = store.report(name, 1, 2);
        assertEquals(List.of(3L, 17L), List.of(afterStop.copied(), afterStop.dropped()), "a stopped run copies nothing");
        assertEquals(null, afterStop.run(), "the report of a stopped run keeps its counts but names no run");
    }

    @Test
    void aRunIsRefusedForAMissingOrTheSameVersionOrAShareOfNothing() {
        QueueStateException missing = assertThrows(QueueStateException.class,
                () -> store.start(new ShadowRun(name, 1, 9, 1000, 10, 1, 0)));
        assertTrue(missing.getMessage().contains("version 9 does not exist"), missing.getMessage());
        for (Runnable bad : List.<Runnable>of(() -> new ShadowRun(name, 2, 2, 1000, 10, 1, 0), () -> new ShadowRun(name, 1, 2, 0, 10, 1, 0),
                () -> new ShadowRun(name, 1, 2, 1000, 0, 1, 0), () -> new ShadowRun(name, 1, 2, 1000, 10, 0, 0))) {
            assertThrows(IllegalArgumentException.class, bad::run);
        }
        assertTrue(store.runs(name).isEmpty());
    }

    @Test
    void eachPairIsComparedOnceWhicheverSideEndsFirstAndHowEverOftenEitherIsRecorded() {
        store.start(new ShadowRun(name, 1, 2, 1000, 10, 1, 0));
        ShadowResult a = ShadowResult.produced(Map.of("sha256", "aa", "size", "10", "verified", "true"));
        ShadowResult aReordered = ShadowResult.produced(new java.util.TreeMap<>(Map.of("verified", "true", "size", "10", "sha256", "aa")));
        ShadowResult b = ShadowResult.produced(Map.of("sha256", "bb", "size", "10", "verified", "true"));
        ShadowResult failed = ShadowResult.failed("boom");
        record Case(String job, ShadowStore.Side first, ShadowResult firstResult, ShadowResult secondResult, ShadowVerdict verdict) {
        }
        List<Case> cases = List.of(new Case("j1", ShadowStore.Side.REAL, a, aReordered, ShadowVerdict.MATCH),
                new Case("j2", ShadowStore.Side.SHADOW, a, a, ShadowVerdict.MATCH),
                new Case("j3", ShadowStore.Side.REAL, a, b, ShadowVerdict.MISMATCH),
                new Case("j4", ShadowStore.Side.SHADOW, b, a, ShadowVerdict.MISMATCH),
                new Case("j5", ShadowStore.Side.REAL, failed, a, ShadowVerdict.FAILURE),
                new Case("j6", ShadowStore.Side.SHADOW, failed, failed, ShadowVerdict.FAILURE));
        for (Case c : cases) {
            ShadowStore.Side second = c.first() == ShadowStore.Side.REAL ? ShadowStore.Side.SHADOW : ShadowStore.Side.REAL;
            assertEquals(ShadowVerdict.WAITING, store.record(v1, v2, c.job(), c.first(), c.firstResult()));
            assertEquals(ShadowVerdict.WAITING, store.record(v1, v2, c.job(), c.first(), c.firstResult()), "a side recorded twice still waits once");
            assertEquals(c.verdict(), store.record(v1, v2, c.job(), second, c.secondResult()), c.toString());
            // a redelivered job (a lease lost after it recorded) records its side again: counted nothing, no new pair
            assertEquals(ShadowVerdict.REPEATED, store.record(v1, v2, c.job(), second, c.secondResult()), "after the comparison: " + c);
            assertEquals(ShadowVerdict.REPEATED, store.record(v1, v2, c.job(), c.first(), c.firstResult()), "after the comparison: " + c);
        }
        ShadowReport report = store.report(name, 1, 2);
        assertEquals(List.of(2L, 2L, 2L, 0L), List.of(report.matches(), report.mismatches(), report.failures(), report.waiting()));
        assertEquals(1.0 / 3, report.mismatchRate(), 1e-9);
        // newest first, each with the real and the shadow result in their places
        assertEquals(List.of("j6", "j5", "j4", "j3"), report.examples().stream().map(ShadowReport.Example::job).toList());
        ShadowReport.Example j4 = report.examples().get(2);
        assertEquals("aa", j4.real().output().get("sha256"));
        assertEquals("bb", j4.shadow().output().get("sha256"));
        assertTrue(redis.pttl(Keys.shadowResults(name, 1, 2)) > Duration.ofDays(6).toMillis(), "shadow results expire");
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
