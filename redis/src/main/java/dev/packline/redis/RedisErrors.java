package dev.packline.redis;

import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

import java.util.function.Supplier;

/**
 * How code that talks to Redis directly (request state, the API's per-publisher keys) reports
 * failures the way the queue's broker does: unreachable Redis as {@link RedisUnavailableException}
 * (callers answer "retry later"), anything else Redis refused as {@link RedisRefusedException},
 * each naming the operation.
 */
public final class RedisErrors {
    private RedisErrors() {
    }

    /** Runs {@code body}, translating Jedis failures; {@code operation} completes "while trying to ...". */
    public static <T> T call(String operation, Supplier<T> body) {
        try {
            return body.get();
        } catch (JedisConnectionException e) {
            throw new RedisUnavailableException("Redis unreachable while trying to " + operation + ": " + e.getMessage(), e);
        } catch (JedisException e) {
            throw new RedisRefusedException("Redis refused to " + operation + ": " + e.getMessage(), e);
        }
    }
}
