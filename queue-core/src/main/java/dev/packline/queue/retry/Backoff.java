package dev.packline.queue.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: the n-th retry waits {@code initial * multiplier^(n-1)}, capped
 * at {@code max}, then a random part of it ({@code jitter} = 0.2 takes off up to 20%) so retries of
 * many jobs that failed together do not come back together.
 */
public record Backoff(Duration initial, double multiplier, Duration max, double jitter) {

    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(5), 2.0, Duration.ofMinutes(10), 0.2);

    public Backoff {
        if (initial.isNegative() || max.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 <= initial <= max, got initial " + initial + ", max " + max);
        }
        if (multiplier < 1.0) {
            throw new IllegalArgumentException("backoff multiplier must be at least 1, got " + multiplier);
        }
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("backoff jitter must be between 0 and 1, got " + jitter);
        }
    }

    /** The wait before the retry that follows failed attempt {@code attempt} (1-based). */
    public Duration delayAfter(int attempt) {
        double base = initial.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
        double capped = Math.min(base, max.toMillis());
        double jittered = capped * (1.0 - jitter * ThreadLocalRandom.current().nextDouble());
        return Duration.ofMillis(Math.round(jittered));
    }
}
