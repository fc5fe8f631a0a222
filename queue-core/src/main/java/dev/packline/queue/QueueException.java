package dev.packline.queue;

/** Base of the queue's own exceptions; each message says what was wrong and with which queue. */
public class QueueException extends RuntimeException {
    public QueueException(String message) {
        super(message);
    }

    public QueueException(String message, Throwable cause) {
        super(message, cause);
    }
}
