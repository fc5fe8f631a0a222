package dev.packline.notify;

import java.time.Clock;
import java.time.Duration;

/**
 * A token bucket on an injected clock: holds up to {@code burst} tokens, gains one every
 * {@code refillEvery}. Within any window of length W it grants at most
 * {@code burst + W / refillEvery} tokens, which is how a robot's "20 a minute" is kept in a
 * sliding minute and not only on average.
 */
final class TokenBucket {
    /** Keeps DingTalk's and WeCom's 20 a minute in any sliding minute (5 + 14 = 19): DingTalk mutes a robot for 10 minutes past it. */
    static final TokenBucket.Rate ROBOT_RATE = new Rate(5, Duration.ofSeconds(4));

    record Rate(int burst, Duration refillEvery) {
        Rate {
            if (burst < 1 || refillEvery.isNegative() || refillEvery.isZero()) {
                throw new IllegalArgumentException("a rate needs burst >= 1 and a positive refill interval, got " + burst + ", " + refillEvery);
            }
        }
    }

    private final long intervalMillis;
    private final long capacityMillis;
    private final Clock clock;
    /** Tokens held, in milliseconds of refill (one token = intervalMillis): integer arithmetic, no drift. */
    private long creditMillis;
    private long updatedAt;

    TokenBucket(Rate rate, Clock clock) {
        this.intervalMillis = rate.refillEvery().toMillis();
        this.capacityMillis = rate.burst() * intervalMillis;
        this.clock = clock;
        this.creditMillis = capacityMillis;
        this.updatedAt = clock.millis();
    }

    synchronized boolean tryTake() {
        refill();
        if (creditMillis < intervalMillis) {
            return false;
        }
        creditMillis -= intervalMillis;
        return true;
    }

    /** Zero when a token is there now. */
    synchronized Duration timeUntilToken() {
        refill();
        return Duration.ofMillis(Math.max(0, intervalMillis - creditMillis));
    }

    private void refill() {
        long now = clock.millis();
        if (now > updatedAt) {
            creditMillis = Math.min(capacityMillis, creditMillis + (now - updatedAt));
        }
        updatedAt = Math.max(updatedAt, now); // a clock stepping back grants nothing
    }
}
