package dev.packline.worker.metrics;

import dev.packline.queue.upgrade.VersionCleaner;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The counters of queue upgrades run by the worker: versions the automatic clean-up removed
 * ({@code packline_queue_versions_removed_total}, by queue).
 */
public final class UpgradeMetrics {
    private UpgradeMetrics() {
    }

    /**
     * The cleaner's listener: counts each removed version under its queue's name. The served
     * queues' series are created at once, so a dashboard shows 0 rather than no data.
     */
    public static VersionCleaner.Listener cleanups(MeterRegistry registry, java.util.Collection<String> queues) {
        queues.forEach(queue -> removed(registry, queue));
        return (version, keysDeleted) -> removed(registry, version.name()).increment();
    }

    public static Counter removed(MeterRegistry registry, String queue) {
        return Counter.builder("packline.queue.versions.removed")
                .description("drained queue versions removed by the automatic clean-up after their grace period")
                .tag("queue", queue).register(registry);
    }
}
