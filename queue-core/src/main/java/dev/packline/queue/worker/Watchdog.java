package dev.packline.queue.worker;

import dev.packline.redis.PeriodicTask;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Notices fetch loops that stopped hearing from Redis (a half-open connection after a failover, a
 * server that accepts but never answers) and restarts them. A healthy loop hears back at least
 * once per maxBlock even when idle, so silence past stallAfter means it is stuck; a loop waiting for
 * a free job slot (its running jobs fill its concurrency, however long they take) is not silent. A loop whose
 * thread has ended while it should run is started again on a new thread (interrupting a dead
 * thread would do nothing, and its subscription would go quiet).
 */
final class Watchdog extends PeriodicTask {
    private final List<Fetcher> fetchers;
    private final Clock clock;
    private final Duration stallAfter;
    private final WorkerEvents events;
    /** When each fetcher was last restarted: one restart per stallAfter, not one per tick while Redis stays silent. */
    private final Map<Fetcher, Long> restartedAt = new HashMap<>();

    Watchdog(List<Fetcher> fetchers, Clock clock, WorkerTimings timings, WorkerEvents events) {
        super("watchdog", timings.maxBlock(), events);
        this.fetchers = fetchers;
        this.clock = clock;
        this.stallAfter = timings.stallAfter();
        this.events = events;
    }

    @Override
    protected void runOnce() {
        long now = clock.millis();
        for (Fetcher fetcher : fetchers) {
            if (fetcher.isDead()) {
                // what ended it was logged and counted by the loop itself
                log.error("fetch loop for {} has ended while it should run; starting it again on a new thread", fetcher.queue());
                fetcher.revive();
                restartedAt.put(fetcher, now);
                continue;
            }
            long silent = now - fetcher.lastAnswerMillis();
            long sinceRestart = now - restartedAt.getOrDefault(fetcher, Long.MIN_VALUE / 2);
            if (fetcher.isRunning() && !fetcher.waitingForSlot() && silent > stallAfter.toMillis() && sinceRestart > stallAfter.toMillis()) {
                restartedAt.put(fetcher, now);
                log.error("fetch loop for {} got no answer from Redis for {} ms; restarting it", fetcher.queue(), silent);
                events.fetchStalled(fetcher.queue(), Duration.ofMillis(silent));
                fetcher.restart();
            }
        }
    }
}
