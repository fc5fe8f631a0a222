package dev.packline.queue;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One version of a named queue, e.g. {@code package} v3. Jobs live in a version; a new version lets
 * a job format change while the old one drains.
 */
public record QueueVersion(String name, int version) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    public QueueVersion {
        Objects.requireNonNull(name, "queue name");
        requireValidName(name);
        if (version < 1) {
            throw new IllegalArgumentException("queue version must be 1 or more, got " + version + " for queue '" + name + "'");
        }
    }

    public static QueueVersion of(String name, int version) {
        return new QueueVersion(name, version);
    }

    /** Parses {@code name:version}, the form used in logs, events and the admin CLI. */
    public static QueueVersion parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("expected QUEUE:VERSION such as package:3, got '" + text + "'");
        }
        try {
            return new QueueVersion(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("queue version in '" + text + "' is not a whole number", e);
        }
    }

    /** Queue names are lowercase letters, digits, '-' and '_': they become part of Redis keys and hash tags. */
    public static void requireValidName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid queue name '" + name
                    + "': use 1 to 63 lowercase letters, digits, '-' or '_', starting with a letter or digit");
        }
    }

    /** {@code package:3}. */
    public String label() {
        return name + ":" + version;
    }

    @Override
    public String toString() {
        return label();
    }
}
