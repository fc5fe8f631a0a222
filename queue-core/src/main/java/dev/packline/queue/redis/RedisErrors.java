package dev.packline.queue.redis;

import dev.packline.queue.QueueException;
import dev.packline.queue.QueueUnavailableException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

import java.util.function.Supplier;

/**
 * How code outside the broker that talks to Redis directly (request state, the API's per-publisher
 * keys) reports failures the way the broker does: unreachable Redis as
 * {@link QueueUnavailableException} (callers answer "retry later"), anything else Redis refused as
 * {@link QueueException}, each naming the operation.
 */
public final class RedisErrors {
    private RedisErrors() {
    }

    /** Runs {@code body}, translating Jedis failures; {@code operation} completes "while trying to ...". */
    public static <T> T call(String operation, Supplier<T> body) {
        try {
            return body.get();
        } catch (JedisConnectionException e) {
            throw new QueueUnavailableException("Redis unreachable while trying to " + operation + ": " + e.getMessage(), e);
        } catch (JedisException e) {
            throw new QueueException("Redis refused to " + operation + ": " + e.getMessage(), e);
        }
    }
}
