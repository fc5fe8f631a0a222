package dev.packline.queue;

/**
 * How far a running job is, as its handler last reported: a fraction from 0 to 1 and a short
 * message (for example "uploaded 120 of 300 MB"). Stored with the running job and cleared when the
 * delivery ends, whatever the way (done, failed, recovered, released).
 */
public record JobProgress(double fraction, String message, long atMillis) {
    public static final int MAX_MESSAGE_LENGTH = 200;

    public JobProgress {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("progress fraction must be from 0 to 1, got " + fraction);
        }
        if (message == null) {
            message = "";
        }
        if (message.length() > MAX_MESSAGE_LENGTH) {
            throw new IllegalArgumentException("progress message must be at most " + MAX_MESSAGE_LENGTH + " characters, got "
                    + message.length());
        }
    }
}
