package dev.packline.queue.worker;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many more jobs this worker process may start before it recycles itself (a fresh JVM bounds
 * leaks in native code and libraries). Shared by all fetch loops. Once it runs dry it stays closed,
 * so every loop stops, not only the one that took the last job.
 */
final class JobBudget {
    private final AtomicLong remaining;
    private volatile boolean closed;

    /** @param maxJobs jobs allowed; 0 means no limit */
    JobBudget(long maxJobs) {
        this.remaining = new AtomicLong(maxJobs <= 0 ? Long.MAX_VALUE : maxJobs);
    }

    /** Reserves up to {@code wanted} jobs; 0 once the budget is spent. */
    int take(int wanted) {
        while (!closed) {
            long left = remaining.get();
            if (left <= 0) {
                closed = true;
                return 0;
            }
            int granted = (int) Math.min(wanted, left);
            if (remaining.compareAndSet(left, left - granted)) {
                return granted;
            }
        }
        return 0;
    }

    /** Returns reservations a fetch did not use; ignored once closed. */
    void giveBack(int unused) {
        if (unused > 0 && !closed) {
            remaining.addAndGet(unused);
        }
    }

    boolean isSpent() {
        return closed;
    }
}
