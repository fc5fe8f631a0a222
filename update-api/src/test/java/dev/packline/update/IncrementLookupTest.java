package dev.packline.update;

import dev.packline.pipeline.Stage;
import dev.packline.pipeline.artifact.Increment;
import dev.packline.pipeline.artifact.IncrementStore;
import dev.packline.pipeline.artifact.PatchFormat;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestClock;
import dev.packline.queue.TestRedis;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.releases.Artifact;
import dev.packline.update.increment.IncrementLookup;
import dev.packline.update.increment.IncrementsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Increments asked for on demand, on a real Redis and the real diff queue: many checks on several
 * instances make one job; a made increment is then served from memory; the bounds hold.
 */
class IncrementLookupTest {
    private final TestClock clock = new TestClock();
    private UnifiedJedis redis;
    private RedisQueueBroker broker;
    private IncrementStore store;
    private QueueVersion diff;

    @BeforeEach
    void setUp() {
        redis = TestRedis.client();
        broker = TestRedis.broker(clock);
        diff = new QueueInspector(broker, clock).ensureQueue(Stage.DIFF.queueName());
        store = new IncrementStore(redis, Duration.ofMinutes(5));
    }

    @AfterEach
    void tearDown() {
        broker.close();
        redis.close();
    }

    private IncrementLookup instance(int perMinute, long maxFileBytes) {
        IncrementsConfig d = IncrementsConfig.defaults();
        return new IncrementLookup(store, new QueueClient(broker), new IncrementsConfig("local", "od/", d.maxRatio(), maxFileBytes, perMinute,
                Duration.ofSeconds(5), 1000, Duration.ofMinutes(1)), clock);
    }

    private static Artifact file(long size) {
        String sha = (UUID.randomUUID().toString().replace("-", "")).repeat(2);
        return new Artifact("store://local/" + sha + ".apk", "https://cdn.example.com/" + sha + ".apk", size, sha, null);
    }

    @Test
    void manyChecksOnSeveralInstancesAskOnceThenServeTheMadeIncrementFromMemory() throws Exception {
        Artifact from = file(1000);
        Artifact to = file(1000);
        List<IncrementLookup> instances = List.of(instance(600, 1 << 20), instance(600, 1 << 20), instance(600, 1 << 20));
        long pendingBefore = broker.counts(diff).pending();
        try (ExecutorService checks = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<IncrementLookup.Known>> answers = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                IncrementLookup instance = instances.get(i % 3);
                answers.add(checks.submit(() -> instance.lookup(PatchFormat.ZIP_AWARE, from, to)));
            }
            for (Future<IncrementLookup.Known> answer : answers) {
                assertInstanceOf(IncrementLookup.Preparing.class, answer.get());
            }
        }
        assertEquals(pendingBefore + 1, broker.counts(diff).pending(), "one increment job, whatever the number of asks");
        assertTrue(broker.job(diff, Stage.incrementJobId("zip-aware", from.sha256(), to.sha256())).isPresent());

        Increment made = new Increment(PatchFormat.ZIP_AWARE, from.sha256(), to.sha256(), "local", "od/k", "https://cdn.example.com/od/k", 10,
                "f".repeat(64), "0".repeat(32), 1000, 1000);
        store.record(made);
        assertInstanceOf(IncrementLookup.Preparing.class, instances.get(0).lookup(PatchFormat.ZIP_AWARE, from, to), "not looked up again yet");
        clock.advance(Duration.ofSeconds(6));
        assertEquals(new IncrementLookup.Made(made), instances.get(0).lookup(PatchFormat.ZIP_AWARE, from, to));
        redis.del(dev.packline.pipeline.Keys.increment("zip-aware", from.sha256(), to.sha256()));
        assertEquals(new IncrementLookup.Made(made), instances.get(0).lookup(PatchFormat.ZIP_AWARE, from, to),
                "a made increment is served from memory: no Redis call on the check path");
    }

    @Test
    void boundsAndFailuresAnswerTheFullFileWithoutAsking() {
        long pendingBefore = broker.counts(diff).pending();
        IncrementLookup small = instance(600, 500);
        assertInstanceOf(IncrementLookup.Unavailable.class, small.lookup(PatchFormat.BSDIFF, file(1000), file(100)), "over maxFileBytes");
        IncrementLookup slow = instance(1, 1 << 20);
        assertInstanceOf(IncrementLookup.Preparing.class, slow.lookup(PatchFormat.BSDIFF, file(10), file(10)));
        assertInstanceOf(IncrementLookup.Unavailable.class, slow.lookup(PatchFormat.BSDIFF, file(10), file(10)), "over onDemandPerMinute");
        Artifact from = file(10);
        Artifact to = file(10);
        store.recordFailure(PatchFormat.CHUNK, from.sha256(), to.sha256(), "the bundle is not UTF-8 text");
        var failed = assertInstanceOf(IncrementLookup.Unavailable.class, instance(600, 1 << 20).lookup(PatchFormat.CHUNK, from, to));
        assertTrue(failed.why().contains("not UTF-8"), failed.why());
        assertEquals(pendingBefore + 1, broker.counts(diff).pending(), "only the one ask within bounds was enqueued");
    }
}
