package dev.packline.queue;

import dev.packline.redis.RedisUnavailableException;

/**
 * Redis could not be reached or did not answer; the call may be tried again later.
 *
 * <p>It extends the redis library's {@link RedisUnavailableException} rather than {@link QueueException}:
 * "Redis is down" means the same to a caller whether the broker or another Redis user (request state,
 * the API's limits) met it, so callers that answer "retry later" catch that one type; callers that
 * catch the broker's failures by this name keep doing so.
 */
public class QueueUnavailableException extends RedisUnavailableException {
    public QueueUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
