package dev.packline.queue.worker;

/**
 * What a {@link JobHandler.Reporting} handler uses to say how far its job is. Reports are written
 * to Redis with the running delivery (shown by {@code bin/packline admin job}) and cleared when the
 * delivery ends; reports closer together than {@link ProgressWriter#MIN_INTERVAL_MILLIS} are skipped,
 * except the one that reaches 1.
 */
public interface ProgressReporter {

    /** Reports a fraction from 0 to 1 and a short message (at most 200 characters). */
    Outcome report(double fraction, String message);

    enum Outcome {
        /** stored with the running job */
        RECORDED,
        /** too soon after the last report; nothing written */
        SKIPPED,
        /** the delivery is no longer this worker's (recovered and handed to another): the handler may stop */
        LEASE_LOST,
        /** Redis could not be reached; the job goes on, the report is lost */
        UNAVAILABLE
    }
}
