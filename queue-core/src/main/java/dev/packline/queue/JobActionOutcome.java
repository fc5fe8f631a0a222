package dev.packline.queue;

/** What an admin's {@link JobAction} did to one job. */
public enum JobActionOutcome {
    /** the waiting job was taken out and recorded as cancelled */
    CANCELLED,
    /** the job runs: it is marked, and its worker stops it at its next heartbeat and records it as cancelled */
    CANCEL_REQUESTED,
    /** the job is pending now (run now, requeue) */
    MADE_PENDING,
    /** the job is gone */
    DELETED,
    /** no job with that id in the version */
    NOT_FOUND,
    /** the action does not apply to the job's state (see {@link JobActionResult#state()}) */
    NOT_APPLICABLE;

    /** Whether the action took effect. */
    public boolean applied() {
        return this == CANCELLED || this == CANCEL_REQUESTED || this == MADE_PENDING || this == DELETED;
    }
}
