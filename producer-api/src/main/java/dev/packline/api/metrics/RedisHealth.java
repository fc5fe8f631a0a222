package dev.packline.api.metrics;

import dev.packline.queue.worker.WorkerEvents;
import dev.packline.redis.PeriodicTask;
import redis.clients.jedis.UnifiedJedis;

import java.time.Duration;

/**
 * Whether Redis answers: pinged every interval and on each {@code /healthz}, the result published
 * as {@code packline_redis_up}. A failed ping is an answer (0), never an exception out of the loop.
 */
public final class RedisHealth extends PeriodicTask {
    private final UnifiedJedis redis;
    private final ApiMetrics metrics;

    public RedisHealth(UnifiedJedis redis, ApiMetrics metrics, Duration interval) {
        super("redis-health", interval, WorkerEvents.NONE);
        this.redis = redis;
        this.metrics = metrics;
    }

    /** Pings now; true when Redis answered. */
    public boolean ping() {
        boolean up;
        try {
            up = "PONG".equalsIgnoreCase(redis.ping());
        } catch (RuntimeException e) {
            log.warn("Redis ping failed: {}", e.getMessage());
            up = false;
        }
        metrics.redisUp(up);
        return up;
    }

    @Override
    protected void runOnce() {
        ping();
    }
}
