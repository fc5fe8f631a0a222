package dev.packline.queue;

import java.util.Map;

/**
 * A consistent snapshot of one queue version. {@code oldestPendingSinceMillis} is -1 when nothing
 * is pending; {@code counters} holds running totals (enqueued, completed, failed, dead, recovered, requeued).
 */
public record QueueCounts(QueueVersion queue, VersionState state, boolean paused, long pending, long delayed,
                          long retry, long active, long dead, long done, long liveWorkers,
                          long oldestPendingSinceMillis, Map<String, Long> counters) {

    /** Jobs that still have to run: what a drain waits for. */
    public long unfinished() {
        return pending + delayed + retry + active;
    }

    public long counter(String name) {
        return counters.getOrDefault(name, 0L);
    }
}
