package dev.packline.queue;

/** Redis could not be reached or did not answer; the call may be tried again later. */
public class QueueUnavailableException extends QueueException {
    public QueueUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
