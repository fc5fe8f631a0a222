package dev.packline.queue.redis;

import java.time.Duration;

/**
 * How much trace finished jobs leave in Redis: done records (kept for idempotent enqueue and
 * inspection) and dead letters are bounded by count and by age, the dead-letter event stream by
 * length. These bounds are what keeps memory flat however many jobs run.
 */
public record Retention(int doneMaxCount, Duration doneMaxAge, int deadMaxCount, Duration deadMaxAge, int eventsMaxLength) {

    public static final Retention DEFAULT = new Retention(10_000, Duration.ofHours(1), 10_000, Duration.ofDays(14), 10_000);

    public Retention {
        if (doneMaxCount < 0 || deadMaxCount < 1 || eventsMaxLength < 1) {
            throw new IllegalArgumentException("retention counts must be positive (done may be 0): done=" + doneMaxCount
                    + " dead=" + deadMaxCount + " events=" + eventsMaxLength);
        }
        if (doneMaxAge.isNegative() || deadMaxAge.isNegative()) {
            throw new IllegalArgumentException("retention ages must not be negative");
        }
    }
}
