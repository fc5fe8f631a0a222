package dev.packline.worker.stage;

import dev.packline.pipeline.ChannelSpec;
import dev.packline.pipeline.PackagingRequest;
import dev.packline.pipeline.RequestStore;
import dev.packline.pipeline.Stage;
import dev.packline.pipeline.StaleRequests;
import dev.packline.pipeline.PublisherRequestIndex;
import dev.packline.pipeline.Submitter;
import dev.packline.queue.Job;
import dev.packline.queue.JobState;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestClock;
import dev.packline.queue.TestRedis;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.worker.RejectJobException;
import dev.packline.storage.LocalDirectoryStore;
import dev.packline.storage.StagedObjects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The housekeeping tasks on a real Redis: stale unfinished request records are removed and
 * nothing else; a scheduled packaging request is submitted once per tick however often its job is
 * delivered; unknown tasks and bad requests are refused with the reason.
 */
class HousekeepingStageTest {
    private final TestClock clock = new TestClock();
    private RedisQueueBroker broker;
    private UnifiedJedis redis;
    private RequestStore requests;
    private QueueVersion packageQueue;
    private QueueVersion housekeeping;
    private HousekeepingStage stage;
    private LocalDirectoryStore store;
    private StagedObjects staged;
    @TempDir
    Path temp;

    @BeforeEach
    void setUp() throws Exception {
        broker = TestRedis.broker(clock);
        redis = TestRedis.client();
        requests = new RequestStore(redis, clock, Duration.ofDays(7));
        QueueInspector inspector = new QueueInspector(broker, clock);
        packageQueue = inspector.ensureQueue(Stage.PACKAGE.queueName());
        housekeeping = inspector.ensureQueue(TestRedis.uniqueQueue("housekeeping"));
        store = new LocalDirectoryStore("local-" + UUID.randomUUID().toString().substring(0, 8), temp.resolve("store"));
        staged = new StagedObjects(redis, clock);
        stage = new HousekeepingStage(new StaleRequests(redis, clock), new Submitter(requests, new QueueClient(broker), 3, Duration.ofMinutes(5)),
                new PublisherRequestIndex(redis, clock, Duration.ofDays(7), 100), Map.of(store.name(), store), staged);
    }

    @AfterEach
    void tearDown() {
        broker.obliterate(housekeeping, true);
        broker.close();
        redis.close();
    }

    private Job job(String id, String payload) {
        return new Job(housekeeping, id, payload, 1, 3, Duration.ofMinutes(5), "1", clock.millis());
    }

    private PackagingRequest request(String id, int channels) {
        List<ChannelSpec> specs = java.util.stream.IntStream.range(0, channels).mapToObj(i -> new ChannelSpec("c" + i, Map.of())).toList();
        return new PackagingRequest(id, "pub-a", "com.example.game", "file:///data/game.apk", specs, "walle", "local", "", null, List.of(),
                List.of(), null);
    }

    @Test
    void trimRequestsRemovesOnlyOldUnfinishedRecords() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        PackagingRequest oldStuck = request("stuck-" + tag, 2);
        PackagingRequest oldFinished = request("finished-" + tag, 1);
        requests.create(oldStuck);
        requests.create(oldFinished);
        requests.progress(oldFinished.id(), 0, Stage.UPLOAD, RequestStore.Outcome.DONE, Map.of(), true); // expires by itself
        clock.advance(Duration.ofDays(31));
        PackagingRequest recent = request("recent-" + tag, 1);
        requests.create(recent);

        stage.handle(job("sched:trim:1", "{\"task\":\"trim-requests\",\"olderThan\":\"30d\"}"));
        assertTrue(requests.summary(oldStuck.id()).isEmpty(), "a request that never finished, 31 days old, is gone");
        assertFalse(redis.exists("pl:{req:" + oldStuck.id() + "}:channels"));
        assertTrue(requests.summary(oldFinished.id()).isPresent(), "a finished one is left to its own expiry");
        assertTrue(requests.summary(recent.id()).isPresent(), "a recent one stays");
    }

    @Test
    void aScheduledRequestIsSubmittedOncePerTick() throws Exception {
        String payload = """
                {"task": "submit-request", "request": {"publisher": "pub-a", "appId": "com.example.game", "mother": "file:///data/game.apk",
                 "channels": ["huawei", {"name": "oppo", "extra": {"campaign": "nightly"}}], "outputStore": "local", "priority": "bulk"}}""";
        String jobId = "sched:nightly-" + UUID.randomUUID() + ":1764900000000";
        stage.handle(job(jobId, payload));
        stage.handle(job(jobId, payload)); // redelivered
        String id = HousekeepingStage.requestId(jobId);
        PackagingRequest submitted = requests.request(id).orElseThrow();
        assertEquals(List.of("huawei", "oppo"), submitted.channels().stream().map(ChannelSpec::name).toList());
        assertEquals("bulk", submitted.priority());
        var first = broker.job(packageQueue, Stage.packageJobId(id, 0)).orElseThrow();
        assertEquals(JobState.PENDING, first.state());
        assertEquals("bulk", first.record().get("level"));
        assertEquals("pub-a", first.record().get("group"));
        assertTrue(broker.job(packageQueue, Stage.packageJobId(id, 2)).isEmpty(), "two channels, two jobs, however often delivered");
        assertTrue(redis.zrange(PublisherRequestIndex.requestsKey("pub-a"), 0, -1).contains(id + "|com.example.game"),
                "in the publisher's list (GET /v1/jobs; through the API: ScheduledRequestListingTest)");
        assertEquals(2.0, redis.zscore(PublisherRequestIndex.inFlightKey("pub-a"), id), "its channels count as in flight");
        assertFalse(HousekeepingStage.requestId(jobId).equals(HousekeepingStage.requestId(jobId.replace(":1764900000000", ":1764903600000"))),
                "the next tick is a new request");
    }

    @Test
    void expireStagedDeletesOnlyStagedMothersNobodyUsedForTheIdleTime() throws Exception {
        Path mother = Files.write(temp.resolve("mother.apk"), new byte[]{'P', 'K', 3, 4, 1, 2, 3});
        store.upload("_packline/staging/old.mother", mother);
        store.upload("_packline/staging/busy.mother", mother);
        staged.used(store.name(), "_packline/staging/old.mother");
        staged.used(store.name(), "_packline/staging/busy.mother");
        clock.advance(Duration.ofDays(6));
        staged.used(store.name(), "_packline/staging/busy.mother"); // an upload used it again
        clock.advance(Duration.ofDays(2));

        stage.handle(job("sched:expire:1", "{\"task\":\"expire-staged\",\"idle\":\"7d\"}"));
        assertTrue(store.stat("_packline/staging/old.mother").isEmpty(), "unused for 8 days: deleted");
        assertTrue(store.stat("_packline/staging/busy.mother").isPresent(), "used 2 days ago: kept");
        assertEquals(List.of("_packline/staging/busy.mother"), staged.idle(store.name(), Duration.ZERO, 10), "the deleted one is forgotten");
        stage.handle(job("sched:expire:1", "{\"task\":\"expire-staged\",\"idle\":\"7d\"}")); // redelivered: nothing left to do
        assertTrue(store.stat("_packline/staging/busy.mother").isPresent());
    }

    @Test
    void unknownTasksAndBadRequestsAreRefusedWithTheReason() {
        RejectJobException unknown = assertThrows(RejectJobException.class, () -> stage.handle(job("j1", "{\"task\":\"defrag\"}")));
        assertTrue(unknown.getMessage().contains("known tasks: [trim-requests, submit-request, expire-staged]"), unknown.getMessage());
        RejectJobException bad = assertThrows(RejectJobException.class, () -> stage.handle(job("j2",
                "{\"task\":\"submit-request\",\"request\":{\"publisher\":\"pub-a\",\"appId\":\"a\",\"mother\":\"ftp://x\",\"channels\":[],\"outputStore\":\"local\"}}")));
        assertTrue(bad.getMessage().contains("mother:") && bad.getMessage().contains("channels: at least one channel"), bad.getMessage());
        RejectJobException duration = assertThrows(RejectJobException.class, () -> stage.handle(job("j3",
                "{\"task\":\"trim-requests\",\"olderThan\":\"a while\"}")));
        assertTrue(duration.getMessage().contains("olderThan"), duration.getMessage());
        assertThrows(RejectJobException.class, () -> stage.handle(job("j4", "not json")));
    }
}
