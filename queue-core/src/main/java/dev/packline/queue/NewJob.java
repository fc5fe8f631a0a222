package dev.packline.queue;

import java.time.Duration;
import java.util.Objects;

/**
 * A job to enqueue. The payload is JSON. A caller-given id makes enqueue idempotent: while a job
 * with that id is known to the version (pending, running, retrying, dead, or done within the
 * retention window) a second enqueue adds nothing.
 */
public record NewJob(String payload, String id, int maxAttempts, Duration timeout, Duration delay) {

    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    static final int MAX_ID_LENGTH = 200;

    public NewJob {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(delay, "delay");
        if (id != null && (id.isEmpty() || id.length() > MAX_ID_LENGTH || !id.codePoints().allMatch(c -> c > ' ' && c != 0x7f))) {
            throw new IllegalArgumentException("job id must be 1 to " + MAX_ID_LENGTH
                    + " characters without spaces or control characters, got '" + id + "'");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, got " + delay);
        }
    }

    /** A job with a generated id and the default attempts, timeout and no delay. */
    public static NewJob of(String payload) {
        return new NewJob(payload, null, DEFAULT_MAX_ATTEMPTS, DEFAULT_TIMEOUT, Duration.ZERO);
    }

    public NewJob withId(String newId) {
        return new NewJob(payload, newId, maxAttempts, timeout, delay);
    }

    public NewJob withMaxAttempts(int attempts) {
        return new NewJob(payload, id, attempts, timeout, delay);
    }

    public NewJob withTimeout(Duration newTimeout) {
        return new NewJob(payload, id, maxAttempts, newTimeout, delay);
    }

    public NewJob withDelay(Duration newDelay) {
        return new NewJob(payload, id, maxAttempts, timeout, newDelay);
    }
}
