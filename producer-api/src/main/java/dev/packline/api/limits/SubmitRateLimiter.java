package dev.packline.api.limits;

import dev.packline.api.auth.Publishers.Limits;
import dev.packline.api.jobs.ApiKeys;
import dev.packline.redis.LuaScript;
import dev.packline.redis.RedisErrors;
import redis.clients.jedis.UnifiedJedis;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Each publisher's submit rate: a sustained rate per minute with a burst, kept in Redis (GCRA, one
 * key per publisher, {@code rate_take.lua}) so every API instance draws from the same allowance.
 */
public final class SubmitRateLimiter {
    private static final LuaScript TAKE = LuaScript.load("/dev/packline/api/scripts/", "rate_take.lua");

    private final UnifiedJedis redis;
    private final Clock clock;

    public SubmitRateLimiter(UnifiedJedis redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    /** Takes one submit; returns zero when allowed, else how long until one would be. */
    public Duration take(String publisher, Limits limits) {
        if (limits.submitsPerMinute() == 0) {
            return Duration.ZERO;
        }
        double interval = 60_000.0 / limits.submitsPerMinute();
        Object wait = RedisErrors.call("check the submit rate of " + publisher, () -> TAKE.run(redis, List.of(ApiKeys.rate(publisher)),
                List.of(Long.toString(clock.millis()), Double.toString(interval), Integer.toString(limits.submitBurst()))));
        return Duration.ofMillis(((Number) wait).longValue());
    }
}
