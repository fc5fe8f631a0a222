package dev.packline.worker.metrics;

import dev.packline.queue.worker.WorkerEvents;
import dev.packline.redis.PeriodicTask;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import redis.clients.jedis.UnifiedJedis;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Asks Redis a cheap question every interval and exports {@code packline_redis_up}: 1 when the
 * last answer came, 0 when it failed. A keyed read (EXISTS on the queue set) rather than PING so
 * the same call is routed on Redis Cluster. The failure itself is counted by {@link PeriodicTask}
 * as a Redis error of component {@code redis-health}.
 */
public final class RedisHealth extends PeriodicTask {
    static final String PROBE_KEY = "pl:queues";

    private final UnifiedJedis redis;
    private final AtomicInteger up = new AtomicInteger();

    public RedisHealth(UnifiedJedis redis, Duration interval, MeterRegistry registry, WorkerEvents events) {
        super("redis-health", interval, events);
        this.redis = redis;
        Gauge.builder("packline.redis.up", up, AtomicInteger::get).description("1 when the last Redis probe succeeded, 0 when it failed")
                .register(registry);
    }

    @Override
    protected void runOnce() {
        try {
            redis.exists(PROBE_KEY);
            up.set(1);
        } catch (RuntimeException e) {
            up.set(0);
            throw e;
        }
    }

    /** 1 when the last probe succeeded. */
    public int up() {
        return up.get();
    }
}
