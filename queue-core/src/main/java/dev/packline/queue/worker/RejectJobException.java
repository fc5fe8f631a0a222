package dev.packline.queue.worker;

/** Thrown by a handler when the job itself is bad: it goes to dead letters at once, with this message as reason. */
public class RejectJobException extends Exception {
    public RejectJobException(String reason) {
        super(reason);
    }

    public RejectJobException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
