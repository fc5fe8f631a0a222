package dev.packline.queue;

/** Enqueue to a version that is draining, retired or does not exist. */
public class VersionNotAcceptingJobsException extends QueueException {
    private final QueueVersion queue;
    private final String state;

    public VersionNotAcceptingJobsException(QueueVersion queue, String state) {
        super("queue " + queue.name() + " version " + queue.version() + " is " + state
                + " and accepts no new jobs; enqueue to the queue's current version instead");
        this.queue = queue;
        this.state = state;
    }

    public QueueVersion queue() {
        return queue;
    }

    /** draining, retired or missing. */
    public String state() {
        return state;
    }
}
