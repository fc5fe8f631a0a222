package dev.packline.queue;

/** A control operation refused because of the version's state, e.g. obliterating an active version. */
public class QueueStateException extends QueueException {
    public QueueStateException(String message) {
        super(message);
    }
}
