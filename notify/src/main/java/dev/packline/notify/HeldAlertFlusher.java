package dev.packline.notify;

import dev.packline.redis.PeriodicTask;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends the alerts the rate limit held back when no new alert comes to carry them: every interval,
 * each rate-limited channel flushes its digest if its bucket allows. A failing channel does not
 * keep the others waiting; its alerts stay held for the next round, and {@link PeriodicTask} logs
 * the failures (each channel by name; repeats at most every 30 s).
 */
final class HeldAlertFlusher extends PeriodicTask {
    private final List<RateLimitedChannel> channels;

    HeldAlertFlusher(List<RateLimitedChannel> channels, Duration interval) {
        super("notification-flusher", interval, Failures.NONE);
        this.channels = List.copyOf(channels);
    }

    @Override
    protected void runOnce() throws Exception {
        List<String> failures = new ArrayList<>();
        for (RateLimitedChannel channel : channels) {
            try {
                channel.flushHeld();
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) { // channel exceptions are masked already (Endpoint)
                failures.add(channel.heldCount() + " held alerts of '" + channel.name() + "' not sent: " + e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new HeldAlertsNotSentException(String.join("; ", failures));
        }
    }

    static final class HeldAlertsNotSentException extends Exception {
        HeldAlertsNotSentException(String message) {
            super(message);
        }
    }
}
