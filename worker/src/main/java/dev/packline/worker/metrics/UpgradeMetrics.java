package dev.packline.worker.metrics;

import dev.packline.queue.QueueVersion;
import dev.packline.queue.upgrade.ShadowRuns;
import dev.packline.queue.upgrade.ShadowStore;
import dev.packline.queue.upgrade.ShadowVerdict;
import dev.packline.queue.upgrade.VersionCleaner;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The counters of queue upgrades run by the worker: versions the automatic clean-up removed
 * ({@code packline_queue_versions_removed_total}, by queue), shadow copies made or dropped
 * ({@code packline_shadow_jobs_total}, by queue and outcome) and shadow comparisons
 * ({@code packline_shadow_comparisons_total}, by queue and verdict). A comparison
 * is counted by the worker that recorded its second side, so the sum over workers counts each once.
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

    /**
     * The shadow runs' listener: counts copies and verdicts by queue (the waiting half of a pair is
     * not a verdict yet, a side repeated after its pair was compared is none; the versions of a run are in {@code admin shadow report}, which keeps the
     * label set small). The served queues' series are created at once at 0.
     */
    public static ShadowRuns.Listener shadows(MeterRegistry registry, java.util.Collection<String> queues) {
        for (String queue : queues) {
            for (ShadowStore.Copy copy : ShadowStore.Copy.values()) {
                shadowJobs(registry, queue, copy);
            }
            for (ShadowVerdict verdict : ShadowVerdict.values()) {
                if (verdict != ShadowVerdict.WAITING && verdict != ShadowVerdict.REPEATED) {
                    comparisons(registry, queue, verdict);
                }
            }
        }
        return new ShadowRuns.Listener() {
            @Override
            public void copied(QueueVersion source, QueueVersion candidate, ShadowStore.Copy copy) {
                shadowJobs(registry, source.name(), copy).increment();
            }

            @Override
            public void compared(QueueVersion source, QueueVersion candidate, ShadowVerdict verdict) {
                if (verdict != ShadowVerdict.WAITING && verdict != ShadowVerdict.REPEATED) {
                    comparisons(registry, source.name(), verdict).increment();
                }
            }
        };
    }

    static Counter shadowJobs(MeterRegistry registry, String queue, ShadowStore.Copy copy) {
        return Counter.builder("packline.shadow.jobs")
                .description("real jobs a shadow run copied to its candidate version, or dropped (candidate backlog at its bound, or it takes no jobs)")
                .tags("queue", queue, "outcome", copy.name().toLowerCase(java.util.Locale.ROOT)).register(registry);
    }

    static Counter comparisons(MeterRegistry registry, String queue, ShadowVerdict verdict) {
        return Counter.builder("packline.shadow.comparisons")
                .description("shadow comparisons of a real job's output with its candidate's, by verdict (match, mismatch, failure)")
                .tags("queue", queue, "verdict", verdict.name().toLowerCase(java.util.Locale.ROOT)).register(registry);
    }
}
