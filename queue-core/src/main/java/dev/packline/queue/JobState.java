package dev.packline.queue;

import java.util.Locale;

/**
 * Where a job is. pending -> active -> done; active -> retry -> pending; active -> dead;
 * delayed -> pending; dead -> pending (requeued by an admin).
 */
public enum JobState {
    PENDING, DELAYED, ACTIVE, RETRY, DEAD, DONE;

    public static JobState parse(String text) {
        try {
            return valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown job state '" + text + "'; expected one of pending, delayed, active, retry, dead, done", e);
        }
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
