package dev.packline.redis;

/**
 * Redis could not be reached or did not answer; the call may be tried again later. Callers that
 * answer "retry later" (the API's 503, the admin tool's exit code) catch this one type, whichever
 * Redis user failed: the queue's own {@code QueueUnavailableException} is one of these.
 */
public class RedisUnavailableException extends RuntimeException {
    public RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
