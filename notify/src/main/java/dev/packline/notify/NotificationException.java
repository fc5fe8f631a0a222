package dev.packline.notify;

/**
 * A notification that did not reach its channel. The message names the channel and what went wrong
 * and never holds a secret ({@link Endpoint} masks them). The caller keeps the alert: whether to
 * send it again later is its decision, and the {@link Reason} tells it whether that can help.
 */
public class NotificationException extends Exception {

    public enum Reason {
        /** The service refused this message (HTTP 4xx, or an error code in its reply): sending it again unchanged will not help. */
        REJECTED,
        /** The service could not be reached or kept failing (timeouts, 5xx, 429) through every retry: later may work. */
        UNAVAILABLE
    }

    private final String channel;
    private final Reason reason;

    NotificationException(String channel, Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.channel = channel;
        this.reason = reason;
    }

    /** The name of the channel that failed. */
    public String channel() {
        return channel;
    }

    public Reason reason() {
        return reason;
    }
}
