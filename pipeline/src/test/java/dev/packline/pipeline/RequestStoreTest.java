package dev.packline.pipeline;

import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestClock;
import dev.packline.queue.TestRedis;
import dev.packline.queue.redis.RedisQueueBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import redis.clients.jedis.UnifiedJedis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestStoreTest {
    private final TestClock clock = new TestClock();
    private UnifiedJedis redis;
    private RequestStore store;

    @BeforeEach
    void setUp() {
        redis = TestRedis.client();
        store = new RequestStore(redis, clock, Duration.ofDays(7));
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    static PackagingRequest request(int channels) {
        List<ChannelSpec> specs = new ArrayList<>();
        for (int i = 0; i < channels; i++) {
            specs.add(new ChannelSpec(i % 2 == 0 ? "华为-" + i : "store-" + i, Map.of("campaign", "spring")));
        }
        return new PackagingRequest("r-" + UUID.randomUUID().toString().substring(0, 8), "publisher-a", "com.example.game",
                "file:///data/apks/game-1.2.apk", specs, "walle", "local", "game/1.2/", null, List.of(), List.of("log"), null);
    }

    @Test
    void aRequestIsCreatedOnceAndReadBackWithItsSpec() {
        PackagingRequest request = request(3);
        assertTrue(store.create(request));
        assertFalse(store.create(request), "a retried submit creates nothing");

        RequestStatus status = store.status(request.id()).orElseThrow();
        assertEquals("queued", status.state());
        assertEquals(3, status.total());
        assertEquals(request, status.request());
        assertEquals(0, status.progressPercent());
        assertTrue(store.status("no-such-request").isEmpty());
    }

    private static String sha(char c) {
        return String.valueOf(c).repeat(64);
    }

    private void endChannels(PackagingRequest request, int channels, boolean expectFinish) {
        for (int i = 0; i < channels; i++) {
            RequestStore.Progress p = store.progress(request.id(), i, Stage.UPLOAD, RequestStore.Outcome.DONE, Map.of(), true);
            assertEquals(expectFinish && i == channels - 1, p.finishedNow(), "channel " + i);
        }
    }

    @Test
    void aRequestWithAPatchFinishesWhenThePatchIsMadeNotWhenItsLastChannelEnds() {
        PackagingRequest request = request(2);
        store.create(request);
        String oldSha = sha('a') , newSha = sha('b');

        assertFalse(store.linkDiff(request.id(), oldSha, newSha).finishedNow());
        assertFalse(store.linkDiff(request.id(), oldSha, newSha).recorded(), "a redelivered link counts once");
        endChannels(request, 2, false);
        RequestStatus waiting = store.status(request.id()).orElseThrow();
        assertEquals("running", waiting.state(), "every channel ended, the patch has not");
        assertEquals("pending", waiting.diffs().get(0).get("state"));
        assertEquals(null, waiting.finishedAt());

        Map<String, RequestStore.Progress> outcomes = store.recordDiff(oldSha, newSha, Map.of("objectKey", "patches/ab.bsdiff", "bytes", 42));
        assertTrue(outcomes.get(request.id()).finishedNow(), "the patch was the last piece of work");
        RequestStatus done = store.status(request.id()).orElseThrow();
        assertEquals("done", done.state());
        assertEquals("done", done.diffs().get(0).get("state"));
        assertEquals("patches/ab.bsdiff", done.diffs().get(0).get("objectKey"));
        assertEquals(1L, done.counts().get("diff.done"));

        RequestStore.Progress again = store.recordDiff(oldSha, newSha, Map.of("objectKey", "patches/ab.bsdiff")).get(request.id());
        assertFalse(again.finishedNow(), "a redelivered diff job finishes nothing twice");
        assertTrue(again.finished(), "but sees the request finished, so its notification can still go out");
    }

    @Test
    void aPatchMadeForAnEarlierRequestCountsAtOnceForALaterOneWithThePair() {
        String oldSha = sha('c'), newSha = sha('d');
        store.recordDiff(oldSha, newSha, Map.of("objectKey", "patches/cd.bsdiff"));
        PackagingRequest later = request(1);
        store.create(later);

        assertTrue(store.linkDiff(later.id(), oldSha, newSha).recorded());
        endChannels(later, 1, true);

        RequestStatus status = store.status(later.id()).orElseThrow();
        assertEquals("done", status.state());
        assertEquals("done", status.diffs().get(0).get("state"));
    }

    @Test
    void aFailedPatchEndsItsRequestsPartlyFailedWithTheReasonAndACancelledRequestDoesNotWaitForPatches() {
        String oldSha = sha('e'), newSha = sha('f');
        PackagingRequest first = request(1);
        PackagingRequest cancelled = request(1);
        store.create(first);
        store.create(cancelled);
        store.linkDiff(first.id(), oldSha, newSha);
        store.linkDiff(cancelled.id(), oldSha, newSha);
        endChannels(first, 1, false);
        assertTrue(store.progress(cancelled.id(), 0, Stage.PACKAGE, RequestStore.Outcome.CANCELLED, Map.of(), true).finishedNow(),
                "a cancelled request finishes without its patch, which other requests may share");

        Map<String, RequestStore.Progress> outcomes = store.recordDiffFailure(oldSha, newSha, "old mother is gone");
        assertTrue(outcomes.get(first.id()).finishedNow());
        assertFalse(outcomes.get(cancelled.id()).finishedNow());
        RequestStatus status = store.status(first.id()).orElseThrow();
        assertEquals("partly_failed", status.state());
        assertEquals("failed", status.diffs().get(0).get("state"));
        assertEquals("old mother is gone", status.diffs().get(0).get("error"));
        assertEquals("cancelled", store.status(cancelled.id()).orElseThrow().state());

        PackagingRequest later = request(1);
        store.create(later);
        store.linkDiff(later.id(), oldSha, newSha);
        endChannels(later, 1, true);
        assertEquals("partly_failed", store.status(later.id()).orElseThrow().state(), "a later request learns of the failure at its link");
    }

    @Test
    void stageOutcomesCountOncePerChannelAndStageAndTheLastEndFinishesTheRequestOnce() {
        PackagingRequest request = request(2);
        store.create(request);

        RequestStore.Progress p = store.progress(request.id(), 0, Stage.PACKAGE, RequestStore.Outcome.DONE, Map.of("sha256", "aa", "bytes", 1234), false);
        assertTrue(p.recorded());
        assertEquals(0, p.ended(), "packaged is not the end of a channel");
        assertFalse(store.progress(request.id(), 0, Stage.PACKAGE, RequestStore.Outcome.DONE, Map.of(), false).recorded(), "redelivery");
        assertEquals("running", store.status(request.id()).orElseThrow().state());

        assertFalse(store.progress(request.id(), 0, Stage.UPLOAD, RequestStore.Outcome.DONE, Map.of("objectKey", "game/1.2/a.apk"), true).finishedNow());
        RequestStore.Progress last = store.progress(request.id(), 1, Stage.PACKAGE, RequestStore.Outcome.DEAD, Map.of("error", "disk full"), false);
        assertTrue(last.finishedNow(), "a dead stage ends its channel, and this was the last channel");
        assertFalse(store.progress(request.id(), 1, Stage.PACKAGE, RequestStore.Outcome.DEAD, Map.of(), false).finishedNow(), "only once");

        RequestStatus status = store.status(request.id()).orElseThrow();
        assertEquals("partly_failed", status.state());
        assertEquals(100, status.progressPercent());
        assertEquals(1, status.failed());
        assertEquals(1L, status.counts().get("package.done"));
        assertEquals(1L, status.counts().get("package.dead"));
        assertEquals(1L, status.counts().get("upload.done"));
        assertEquals("game/1.2/a.apk", status.channels().get(0).get("objectKey"));
        assertEquals(1234, status.channels().get(0).get("bytes"));
        assertEquals("disk full", status.channels().get(1).get("error"));
        assertTrue(status.finished());
        assertTrue(redis.ttl(Keys.request(request.id())) > 6 * 86_400, "finished requests expire after the retention period");
        assertTrue(redis.ttl(Keys.channels(request.id())) > 6 * 86_400);
    }

    @ParameterizedTest
    @CsvSource({"DONE,DONE,done", "DEAD,DEAD,failed", "DONE,CANCELLED,cancelled"})
    void theFinalStateFollowsTheChannelOutcomes(RequestStore.Outcome first, RequestStore.Outcome second, String state) {
        PackagingRequest request = request(2);
        store.create(request);
        store.progress(request.id(), 0, Stage.UPLOAD, first, Map.of(), true);
        store.progress(request.id(), 1, Stage.UPLOAD, second, Map.of(), true);
        assertEquals(state, store.status(request.id()).orElseThrow().state());
    }

    @Test
    void concurrentEndsFinishTheRequestExactlyOnce() throws Exception {
        PackagingRequest request = request(200);
        store.create(request);
        AtomicInteger finishes = new AtomicInteger();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int channel = i;
                for (int copy = 0; copy < 2; copy++) { // every end is also redelivered
                    futures.add(pool.submit(() -> {
                        if (store.progress(request.id(), channel, Stage.UPLOAD, RequestStore.Outcome.DONE, Map.of(), true).finishedNow()) {
                            finishes.incrementAndGet();
                        }
                    }));
                }
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        assertEquals(1, finishes.get());
        RequestStatus status = store.status(request.id()).orElseThrow();
        assertEquals(200, status.ended());
        assertEquals(200L, status.counts().get("upload.done"));
    }

    @Test
    void cancellingMarksTheRequestUntilItFinishes() {
        PackagingRequest request = request(1);
        store.create(request);
        assertEquals(RequestLiveness.ACTIVE, store.liveness(request.id()));
        assertEquals(new Cancellation(Cancellation.Kind.ACCEPTED, RequestState.QUEUED), store.cancel(request.id()).orElseThrow());
        assertEquals(RequestLiveness.CANCEL_REQUESTED, store.liveness(request.id()));
        store.progress(request.id(), 0, Stage.PACKAGE, RequestStore.Outcome.CANCELLED, Map.of(), true);
        assertEquals(new Cancellation(Cancellation.Kind.ALREADY_FINISHED, RequestState.CANCELLED), store.cancel(request.id()).orElseThrow());
        assertEquals(RequestState.CANCELLED, store.status(request.id()).orElseThrow().requestState());
        assertTrue(store.cancel("unknown").isEmpty());
        assertEquals(RequestLiveness.GONE, store.liveness("unknown"));
    }

    @Test
    void submittingEnqueuesOnePackageJobPerChannelOnlyOnce() {
        try (RedisQueueBroker broker = TestRedis.broker(clock)) {
            QueueInspector inspector = new QueueInspector(broker, clock);
            QueueVersion packageQueue = inspector.ensureQueue(Stage.PACKAGE.queueName());
            long before = inspector.counts(packageQueue).pending();
            Submitter submitter = new Submitter(store, new QueueClient(broker), 5, Duration.ofMinutes(10));
            PackagingRequest request = request(1_200);

            assertTrue(submitter.submit(request));
            assertFalse(submitter.submit(request));

            assertEquals(before + 1_200, inspector.counts(packageQueue).pending());
            var job = inspector.job(packageQueue, Stage.packageJobId(request.id(), 2)).orElseThrow();
            assertTrue(job.payload().contains("\"channel\":\"华为-2\""), job.payload());
            assertTrue(job.payload().contains("\"requestId\":\"" + request.id() + "\""), job.payload());
            assertEquals("publisher-a", job.record().get("group"), "the publisher's fair share");
            inspector.setCurrent(inspector.newVersion(Stage.PACKAGE.queueName()));
            broker.obliterate(packageQueue, true); // other tests get a clean package queue
        }
    }

    @Test
    void aBadRequestIsRefusedWithEveryProblem() {
        PackagingRequest bad = new PackagingRequest("bad id!", "p", "", "ftp://x", List.of(new ChannelSpec("a/b", null),
                new ChannelSpec("ok", null), new ChannelSpec("ok", null)), "zip", "local", "../up", "{package}.apk", List.of("x"), null, "loud");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Submitter(store, null, 5, Duration.ofMinutes(1)).submit(bad));
        for (String expected : List.of("id:", "appId: required", "mother:", "channels[0]: channel name 'a/b' contains a path separator",
                "channels[2]: 'ok' appears twice", "format:", "nameTemplate: must contain {channel}", "outputPrefix:", "notifyLevel:", "diffAgainst[0]:")) {
            assertTrue(e.getMessage().contains(expected), "missing " + expected + " in " + e.getMessage());
        }
    }

    @Test
    void aSummaryHasStateCountersAndTimesWithoutTheSpecOrChannels() {
        PackagingRequest request = request(3);
        store.create(request);
        RequestStore.Summary queued = store.summary(request.id()).orElseThrow();
        assertEquals("queued", queued.state());
        assertEquals(3, queued.total());
        assertEquals(Map.of(), queued.counts());
        assertEquals(null, queued.startedAt());

        clock.advance(Duration.ofSeconds(5));
        store.progress(request.id(), 0, Stage.PACKAGE, RequestStore.Outcome.DONE, Map.of(), false);
        store.progress(request.id(), 1, Stage.PACKAGE, RequestStore.Outcome.DEAD, Map.of("error", "x"), true);
        store.cancel(request.id());
        RequestStore.Summary running = store.summary(request.id()).orElseThrow();
        assertEquals("running", running.state());
        assertEquals(1, running.ended());
        assertEquals(1, running.failed());
        assertEquals(33, running.progressPercent());
        assertTrue(running.cancelRequested());
        assertEquals(Map.of("package.done", 1L, "package.dead", 1L), running.counts());
        assertEquals(queued.createdAt() + 5_000, running.startedAt());
        assertFalse(running.finished());
        assertTrue(store.summary("no-such-request").isEmpty());
    }
}
