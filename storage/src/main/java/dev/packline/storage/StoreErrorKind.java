package dev.packline.storage;

import java.util.Locale;

/**
 * Why a store request failed, as the metrics label {@code kind} and as the retry decision. The
 * first four are passing conditions worth retrying with backoff; {@link #AUTH} and
 * {@link #NOT_FOUND} (bad credentials, access denied, missing bucket) are configuration problems
 * no retry can fix, so the job fails fast to dead letters with an alert.
 */
public enum StoreErrorKind {
    THROTTLED(true),
    SERVER(true),
    TIMEOUT(true),
    NETWORK(true),
    AUTH(false),
    NOT_FOUND(false),
    /** A part or object whose size or checksum differs from what was sent: the attempt fails and is retried. */
    INTEGRITY(true),
    OTHER(false);

    private final boolean retryable;

    StoreErrorKind(boolean retryable) {
        this.retryable = retryable;
    }

    /** Whether the same request may succeed when sent again later. */
    public boolean retryable() {
        return retryable;
    }

    /** Whether no attempt of the job can succeed until someone fixes the store's configuration. */
    public boolean failFast() {
        return this == AUTH || this == NOT_FOUND;
    }

    /** The metrics label: throttled, server, timeout, network, auth, not_found, integrity, other. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
