package dev.packline.queue;

import java.util.Map;

/**
 * A consistent snapshot of one queue version. {@code oldestPendingSinceMillis} is -1 when nothing
 * is pending; {@code done} counts the finished records kept, cancelled jobs included; {@code counters}
 * holds running totals (enqueued, completed, failed, dead, recovered, requeued, cancelled) and
 * completions per minute ({@code m:<epoch minute>}, the last 15 minutes).
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

    /** Jobs completed per minute over the last {@code minutes} whole minutes before {@code nowMillis}. */
    public double completedPerMinute(long nowMillis, int minutes) {
        long current = nowMillis / 60_000;
        long sum = 0;
        for (long m = current - minutes; m < current; m++) {
            sum += counters.getOrDefault("m:" + m, 0L);
        }
        return (double) sum / minutes;
    }
}
