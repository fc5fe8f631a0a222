package dev.packline.queue;

import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.redis.Retention;
import dev.packline.redis.EmbeddedRedis;
import dev.packline.redis.RedisConnector;
import redis.clients.jedis.UnifiedJedis;

import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Redis the tests use: REDIS_URL when set, otherwise one real redis-server started for the
 * whole test JVM on a free loopback port. Tests isolate themselves by queue name, never by
 * flushing, so REDIS_URL may point at a shared server.
 */
public final class TestRedis {
    private static final AtomicInteger QUEUES = new AtomicInteger();
    private static volatile String url;

    private TestRedis() {
    }

    public static synchronized String url() {
        if (url == null) {
            String fromEnv = System.getenv("REDIS_URL");
            if (fromEnv != null && !fromEnv.isBlank()) {
                url = fromEnv;
            } else {
                EmbeddedRedis redis = EmbeddedRedis.start();
                Runtime.getRuntime().addShutdownHook(new Thread(redis::close));
                url = redis.url();
            }
        }
        return url;
    }

    public static RedisQueueBroker broker(Clock clock) {
        return broker(clock, Retention.DEFAULT);
    }

    public static RedisQueueBroker broker(Clock clock, Retention retention) {
        return new RedisQueueBroker(RedisConnector.open(url()), url(), clock, retention, true);
    }

    /** A plain client for looking at keys directly. */
    public static UnifiedJedis client() {
        return RedisConnector.open(url(), 4);
    }

    /** Every key matching a pattern (a full SCAN; fine for test-sized databases). */
    public static List<String> keys(UnifiedJedis redis, String pattern) {
        List<String> keys = new ArrayList<>();
        ScanParams params = new ScanParams().match(pattern).count(1000);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = redis.scan(cursor, params);
            keys.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        return keys;
    }

    /** A queue name no other test uses. */
    public static String uniqueQueue(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + QUEUES.incrementAndGet();
    }
}
