package dev.packline.queue;

import java.util.Locale;

/** Lifecycle of a queue version: it takes jobs while active, only finishes them while draining, and is done when retired. */
public enum VersionState {
    ACTIVE, DRAINING, RETIRED;

    public static VersionState parse(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
