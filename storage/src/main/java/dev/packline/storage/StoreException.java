package dev.packline.storage;

import java.io.IOException;

/**
 * A store request that failed, with its {@link StoreErrorKind}. The message names the store, the
 * operation and the object, and the provider's error code when there is one; it never carries
 * credentials (the SDKs' own messages can contain signed URLs, so only their error codes are kept).
 */
public final class StoreException extends IOException {
    private final StoreErrorKind kind;
    private final String store;

    public StoreException(StoreErrorKind kind, String store, String message, Throwable cause) {
        super("store " + store + ": " + message + " [" + kind.label() + "]", cause);
        this.kind = kind;
        this.store = store;
    }

    public StoreException(StoreErrorKind kind, String store, String message) {
        this(kind, store, message, null);
    }

    public StoreErrorKind kind() {
        return kind;
    }

    public String store() {
        return store;
    }
}
