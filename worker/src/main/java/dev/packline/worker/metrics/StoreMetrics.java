package dev.packline.worker.metrics;

import dev.packline.storage.StoreErrorKind;
import dev.packline.storage.UploadMode;
import dev.packline.storage.UploadObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Collection;

/**
 * The object stores' metrics (docs/metrics.md; dashboards rely on these names):
 * {@code packline_upload_bytes_sent_total{store}} (bytes that went over the network, retries
 * included, copied ranges not), {@code packline_upload_errors_total{store,kind}} and the
 * {@code packline_upload_seconds{store,mode}} histogram. Object bytes stored are counted by the
 * stages as {@code packline_bytes_uploaded_total{store}}.
 */
public final class StoreMetrics implements UploadObserver {
    private final MeterRegistry registry;

    public StoreMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Every series of these stores at zero from the start: dashboards show 0 and increase() sees the first error. */
    public StoreMetrics preRegister(Collection<String> stores) {
        for (String store : stores) {
            sent(store);
            for (StoreErrorKind kind : StoreErrorKind.values()) {
                errors(store, kind);
            }
            for (UploadMode mode : UploadMode.values()) {
                timer(store, mode);
            }
        }
        return this;
    }

    @Override
    public void bytesSent(String store, long bytes) {
        sent(store).increment(bytes);
    }

    @Override
    public void requestFailed(String store, StoreErrorKind kind) {
        errors(store, kind).increment();
    }

    @Override
    public void uploaded(String store, UploadMode mode, Duration took, long objectBytes) {
        timer(store, mode).record(took);
    }

    private Counter sent(String store) {
        return Counter.builder("packline.upload.bytes.sent").description("bytes sent to object stores, retries included, server-side copies excluded")
                .tag("store", store).register(registry);
    }

    private Counter errors(String store, StoreErrorKind kind) {
        return Counter.builder("packline.upload.errors").description("failed object store requests by kind, retried or not")
                .tags("store", store, "kind", kind.label()).register(registry);
    }

    private Timer timer(String store, UploadMode mode) {
        return Timer.builder("packline.upload").description("time to write and check one object")
                .tags("store", store, "mode", mode.label()).publishPercentileHistogram().register(registry);
    }
}
