package dev.packline.queue;

import java.util.Locale;

/** What an admin may ask a live worker to do; the worker reads it at its next heartbeat. */
public enum WorkerCommand {
    /**
     * Stop fetching, finish the jobs it holds, and exit to be replaced by a fresh process at once
     * (the worker app exits with status 3, which its supervisor restarts).
     */
    RECYCLE,
    /** Stop fetching, finish the jobs it holds, and exit for good (status 0: not restarted). */
    STOP;

    public static WorkerCommand parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown worker command '" + text + "'; expected recycle or stop", e);
        }
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
