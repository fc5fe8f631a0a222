package dev.packline.queue.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The worker runtime's intervals and limits, validated together.
 *
 * @param heartbeatInterval  how often the worker extends its lease
 * @param lease              how long a lease lasts without a heartbeat; after that the worker's jobs are recovered
 * @param recoverInterval    how often this worker looks for jobs of dead workers and overdue jobs
 * @param overdueGrace       how long past its hard deadline a job may stay with a live worker before it is taken back
 * @param janitorInterval    how often retention ages are enforced and capped groups' running counts checked
 * @param maxBlock           longest single blocking wait for a job (bounds how stale a paused or retired check may be)
 * @param stallAfter         a fetch loop without any answer from Redis for this long is restarted by the watchdog
 * @param shutdownTimeout    how long a stopping worker lets running jobs finish before giving them back
 * @param pausedPoll         how often a paused version is checked again
 * @param fetchErrorBackoff  first wait after a failed fetch, doubling up to {@code fetchErrorBackoffMax}
 */
public record WorkerTimings(Duration heartbeatInterval, Duration lease, Duration recoverInterval, Duration overdueGrace,
                            Duration janitorInterval, Duration maxBlock, Duration stallAfter, Duration shutdownTimeout,
                            Duration pausedPoll, Duration fetchErrorBackoff, Duration fetchErrorBackoffMax) {

    public static final WorkerTimings DEFAULT = new WorkerTimings(Duration.ofSeconds(2), Duration.ofSeconds(15),
            Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(1),
            Duration.ofSeconds(30), Duration.ofSeconds(25), Duration.ofMillis(500), Duration.ofMillis(100), Duration.ofSeconds(5));

    public WorkerTimings {
        List<String> problems = new ArrayList<>();
        if (lease.compareTo(heartbeatInterval.multipliedBy(3)) < 0) {
            problems.add("lease (" + lease + ") must be at least 3 heartbeat intervals (" + heartbeatInterval + ") so one late heartbeat does not look like a dead worker");
        }
        if (stallAfter.compareTo(maxBlock.multipliedBy(3)) < 0) {
            problems.add("stallAfter (" + stallAfter + ") must be at least 3 x maxBlock (" + maxBlock + "): an idle fetch loop answers once per maxBlock");
        }
        for (Duration d : List.of(heartbeatInterval, recoverInterval, janitorInterval, maxBlock, pausedPoll, fetchErrorBackoff)) {
            if (d.isZero() || d.isNegative()) {
                problems.add("every interval must be positive, got " + d);
            }
        }
        if (overdueGrace.isNegative() || shutdownTimeout.isNegative()) {
            problems.add("overdueGrace and shutdownTimeout must not be negative");
        }
        if (fetchErrorBackoffMax.compareTo(fetchErrorBackoff) < 0) {
            problems.add("fetchErrorBackoffMax must be at least fetchErrorBackoff");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid worker timings: " + String.join("; ", problems));
        }
    }

    public WorkerTimings withHeartbeat(Duration interval, Duration newLease) {
        return new WorkerTimings(interval, newLease, recoverInterval, overdueGrace, janitorInterval, maxBlock, stallAfter,
                shutdownTimeout, pausedPoll, fetchErrorBackoff, fetchErrorBackoffMax);
    }

    public WorkerTimings withRecovery(Duration interval, Duration grace) {
        return new WorkerTimings(heartbeatInterval, lease, interval, grace, janitorInterval, maxBlock, stallAfter,
                shutdownTimeout, pausedPoll, fetchErrorBackoff, fetchErrorBackoffMax);
    }

    public WorkerTimings withStallAfter(Duration stall) {
        return new WorkerTimings(heartbeatInterval, lease, recoverInterval, overdueGrace, janitorInterval, maxBlock, stall,
                shutdownTimeout, pausedPoll, fetchErrorBackoff, fetchErrorBackoffMax);
    }

    public WorkerTimings withShutdownTimeout(Duration timeout) {
        return new WorkerTimings(heartbeatInterval, lease, recoverInterval, overdueGrace, janitorInterval, maxBlock, stallAfter,
                timeout, pausedPoll, fetchErrorBackoff, fetchErrorBackoffMax);
    }
}
