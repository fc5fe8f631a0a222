package dev.packline.storage;

import java.time.Duration;

/**
 * Told what the stores do, for metrics. Called from upload threads, so implementations are
 * thread-safe and quick. The storage library has no metrics dependency; the worker maps these to
 * Micrometer ({@code packline_upload_*}, docs/metrics.md).
 */
public interface UploadObserver {
    UploadObserver NONE = new UploadObserver() {
    };

    /** Bytes written to the network by one request (a part, a plain put), failed ones included. */
    default void bytesSent(String store, long bytes) {
    }

    /** One failed request, whether or not it is retried. */
    default void requestFailed(String store, StoreErrorKind kind) {
    }

    /** One object written and checked. */
    default void uploaded(String store, UploadMode mode, Duration took, long objectBytes) {
    }
}
