package dev.packline.storage.multipart;

import dev.packline.storage.StoreException;
import dev.packline.storage.UploadObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs one store request, retrying the kinds that may pass (throttling, 5xx, timeouts, dropped
 * connections, a corrupted part) with capped, jittered exponential backoff, and throwing the rest
 * at once. Every failure, retried or not, is told to the observer with its kind.
 */
final class Retries {
    private static final Logger log = LoggerFactory.getLogger(Retries.class);

    @FunctionalInterface
    interface Request<T> {
        T run() throws IOException;
    }

    private final String store;
    private final Dialect dialect;
    private final int maxAttempts;
    private final Duration base;
    private final Duration max;
    private final UploadObserver observer;

    Retries(String store, Dialect dialect, int maxAttempts, Duration base, Duration max, UploadObserver observer) {
        this.store = store;
        this.dialect = dialect;
        this.maxAttempts = maxAttempts;
        this.base = base;
        this.max = max;
        this.observer = observer;
    }

    <T> T call(String what, Request<T> request) throws IOException {
        for (int attempt = 1; ; attempt++) {
            StoreException failure;
            try {
                return request.run();
            } catch (StoreException e) {
                failure = e;
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("interrupted during " + what);
                }
                failure = dialect.translate(e, what);
            }
            observer.requestFailed(store, failure.kind());
            if (!failure.kind().retryable() || attempt >= maxAttempts) {
                throw failure;
            }
            long cap = Math.min(max.toMillis(), base.toMillis() << Math.min(attempt - 1, 20));
            long delay = cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
            log.info("store {}: {} failed (attempt {} of {}), retrying in {} ms: {}", store, what, attempt, maxAttempts, delay, failure.getMessage());
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting to retry " + what);
            }
        }
    }
}
