package dev.packline.queue;

import java.util.Locale;

/**
 * Where a job is. pending -> active -> done; active -> retry -> pending; active -> dead;
 * delayed -> pending; dead -> pending (requeued by an admin); pending, delayed, retry -> cancelled
 * (cancelled by an admin); active -> cancelled (cancelled by an admin, stopped by its worker at
 * the next heartbeat). See ARCHITECTURE.md, "The job state machine".
 */
public enum JobState {
    PENDING, DELAYED, ACTIVE, RETRY, DEAD, DONE, CANCELLED;

    /** Reads a state's wire name; "running" and "retrying", the words the admin tools show, are accepted too. */
    public static JobState parse(String text) {
        String word = text.trim().toLowerCase(Locale.ROOT);
        switch (word) {
            case "running" -> {
                return ACTIVE;
            }
            case "retrying" -> {
                return RETRY;
            }
            default -> {
            }
        }
        try {
            return valueOf(word.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown job state '" + text
                    + "'; expected one of pending, delayed, running (active), retry, dead, done, cancelled", e);
        }
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The word people read: "running" for active, else the wire name. */
    public String displayName() {
        return this == ACTIVE ? "running" : wireName();
    }

    /** Whether the job waits to run (pending, delayed, retry): it can be cancelled at once. */
    public boolean isWaiting() {
        return this == PENDING || this == DELAYED || this == RETRY;
    }
}
