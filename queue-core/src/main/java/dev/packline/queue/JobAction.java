package dev.packline.queue;

/** What an admin does to jobs (see {@link QueueBroker#act}); each is one atomic script per batch of ids. */
public enum JobAction {
    /** A waiting job (pending, delayed, retry) ends as cancelled at once; a running one is stopped by its worker at its next heartbeat. */
    CANCEL,
    /** A delayed or retrying job becomes pending now, its attempts kept. */
    RUN_NOW,
    /** A dead letter becomes pending with its attempts reset. */
    REQUEUE,
    /** The job is forgotten for good, whatever its state but running. */
    DELETE
}
