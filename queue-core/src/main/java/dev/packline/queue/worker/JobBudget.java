package dev.packline.queue.worker;

/**
 * How many more jobs this worker process may start before it recycles itself (a fresh JVM bounds
 * leaks in native code and libraries). Shared by all fetch loops: a loop reserves what it asks
 * Redis for, only for the length of one non-blocking fetch, then settles with what it got. Once
 * every job is started and nothing is reserved, the budget is spent for good, so every loop stops,
 * not only the one that took the last job.
 */
final class JobBudget {
    /** {@link #take} answer when other loops hold the rest for a moment: try again shortly. */
    static final int WAIT = -1;

    private final boolean limited;
    private long remaining;
    private long reserved;
    private boolean spent;

    /** @param maxJobs jobs allowed; 0 means no limit */
    JobBudget(long maxJobs) {
        this.limited = maxJobs > 0;
        this.remaining = limited ? maxJobs : Long.MAX_VALUE;
    }

    /** Reserves up to {@code wanted} jobs; 0 once the budget is spent, {@link #WAIT} while others hold the rest. */
    synchronized int take(int wanted) {
        if (spent) {
            return 0;
        }
        long free = remaining - reserved;
        if (free <= 0) {
            if (reserved == 0) {
                spent = true;
                return 0;
            }
            return WAIT;
        }
        int granted = (int) Math.min(wanted, free);
        reserved += granted;
        return granted;
    }

    /** Ends a reservation: {@code started} of the {@code reserved} jobs were handed to this worker. */
    synchronized void settle(int reservedJobs, int started) {
        reserved -= reservedJobs;
        remaining -= started;
        if (remaining <= 0 && reserved == 0) {
            spent = true;
        }
    }

    /** Jobs this worker may still start, or -1 without a limit. */
    synchronized long left() {
        return limited ? Math.max(0, remaining) : -1;
    }

    synchronized boolean isSpent() {
        return spent;
    }
}
