package dev.packline.queue.worker;

import dev.packline.queue.NewJob;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestRedis;
import dev.packline.queue.redis.Keys;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.redis.Retention;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Finished jobs leave a bounded trace: the key set and the hashes stop growing however many jobs run. */
class RetentionTest {
    private static final int KEPT = 200;

    @Test
    void keysAndRecordsStayBoundedAfterManyJobs() throws Exception {
        Retention retention = new Retention(KEPT, Duration.ofHours(1), 50, Duration.ofDays(1), 50);
        try (RedisQueueBroker broker = TestRedis.broker(Clock.systemUTC(), retention); UnifiedJedis redis = TestRedis.client()) {
            QueueInspector inspector = new QueueInspector(broker, Clock.systemUTC());
            QueueVersion queue = inspector.ensureQueue(TestRedis.uniqueQueue("retention"));
            Keys keys = new Keys(queue);
            String pattern = Keys.PREFIX + "{" + queue.name() + ":1}*";
            try (Worker ignored = new Worker(Worker.Params.of(broker, List.of(Subscription.of(queue, 50, job -> { })))
                    .withTimings(WorkerTest.FAST)).start()) {
                runJobs(broker, inspector, queue, 5_000);
                TreeSet<String> keysAfterFirstRound = new TreeSet<>(TestRedis.keys(redis, pattern));
                long metaAfterFirstRound = redis.hlen(keys.meta);

                runJobs(broker, inspector, queue, 20_000);

                assertEquals(keysAfterFirstRound, new TreeSet<>(TestRedis.keys(redis, pattern)), "no new key per job");
                assertEquals(metaAfterFirstRound, redis.hlen(keys.meta));
                assertTrue(redis.hlen(keys.meta) <= KEPT, "records kept: " + redis.hlen(keys.meta));
                assertEquals(0, redis.hlen(keys.payload), "payloads of done jobs are dropped");
                assertEquals(KEPT, redis.zcard(keys.done));
                assertEquals(25_000, inspector.counts(queue).counter("completed"));
            } finally {
                broker.obliterate(queue, true);
            }
        }
    }

    private static void runJobs(RedisQueueBroker broker, QueueInspector inspector, QueueVersion queue, int count) throws Exception {
        long before = inspector.counts(queue).counter("completed");
        List<NewJob> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batch.add(NewJob.of("{\"channel\":\"store-" + i + "\",\"padding\":\"" + "x".repeat(100) + "\"}"));
        }
        new QueueClient(broker).enqueueBatch(queue, batch);
        WorkerTest.await(count + " jobs done", () -> inspector.counts(queue).counter("completed") == before + count);
    }
}
