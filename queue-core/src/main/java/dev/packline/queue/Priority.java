package dev.packline.queue;

import java.util.Locale;

/**
 * A job's priority level. A free worker slot takes the highest level that has work, except that
 * one job in {@link #SHARE_EVERY} goes to the next lower level that has work (and one in
 * {@code SHARE_EVERY} of those to the level below it), so a flood of urgent jobs slows normal
 * and bulk work down but never stops it: with all three levels busy, urgent gets 80% of the
 * slots, normal 16% and bulk 4%. Within a level, groups share the slots round-robin by weight.
 */
public enum Priority {
    URGENT, NORMAL, BULK;

    /** Every this many jobs handed out while lower levels wait, one goes to a lower level (see fetch.lua). */
    public static final int SHARE_EVERY = 5;

    public static Priority parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown priority '" + text + "'; expected one of urgent, normal, bulk", e);
        }
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
