package dev.packline.queue.worker;

import dev.packline.queue.Job;
import dev.packline.queue.JobProgress;
import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * Writes one delivery's progress reports through the broker, at most one per
 * {@link #MIN_INTERVAL_MILLIS} (a handler counting uploaded bytes may report thousands of times).
 * Progress is information, not state: a Redis failure is logged and the job goes on.
 */
final class ProgressWriter implements ProgressReporter {
    private static final Logger log = LoggerFactory.getLogger(ProgressWriter.class);
    static final long MIN_INTERVAL_MILLIS = 250;

    private final QueueBroker broker;
    private final String workerId;
    private final Job job;
    private final Clock clock;
    private long lastWriteMillis = Long.MIN_VALUE;

    ProgressWriter(QueueBroker broker, String workerId, Job job, Clock clock) {
        this.broker = broker;
        this.workerId = workerId;
        this.job = job;
        this.clock = clock;
    }

    @Override
    public synchronized Outcome report(double fraction, String message) {
        long now = clock.millis();
        JobProgress progress = new JobProgress(fraction, message, now); // bad values throw to the handler, naming the problem
        if (fraction < 1 && lastWriteMillis != Long.MIN_VALUE && now - lastWriteMillis < MIN_INTERVAL_MILLIS) {
            return Outcome.SKIPPED;
        }
        try {
            boolean stored = broker.reportProgress(job.queue(), workerId, job, progress);
            lastWriteMillis = now;
            return stored ? Outcome.RECORDED : Outcome.LEASE_LOST;
        } catch (QueueUnavailableException e) {
            log.warn("progress of job {} on {} not recorded: {}", job.id(), job.queue(), e.getMessage());
            return Outcome.UNAVAILABLE;
        }
    }
}
