package dev.packline.update.increment;

import dev.packline.pipeline.artifact.PatchFormat;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumMap;
import java.util.Map;

/**
 * What one update API instance did with increments (docs/metrics.md, "Update API"): increments it
 * asked the workers for on demand, the patch it offered as a check's choice, and the bytes that
 * choice saves against the full file. Every format's series exists from the start, so a dashboard
 * shows 0 rather than "no data". The workers count what they made and what failed
 * ({@code packline_increments_made_total}, {@code packline_increments_failed_total}).
 */
public final class IncrementMetrics {
    private final Map<PatchFormat, Counter> asked = new EnumMap<>(PatchFormat.class);
    private final Map<PatchFormat, Counter> offered = new EnumMap<>(PatchFormat.class);
    private final Map<PatchFormat, Counter> saved = new EnumMap<>(PatchFormat.class);
    /** Answers that held a patch, whatever its format: counted where the offer is made, not where a release merely has a patch. */
    private final Counter patchesOffered;

    public IncrementMetrics(MeterRegistry registry) {
        patchesOffered = Counter.builder("packline.update.patches.offered")
                .description("checks whose answer held a patch from the installed file, in a format the client can apply").register(registry);
        for (PatchFormat format : PatchFormat.values()) {
            asked.put(format, Counter.builder("packline.update.increments.asked")
                    .description("increments this instance asked the workers to make on demand (one diff job per pair)")
                    .tag("format", format.wireName()).register(registry));
            offered.put(format, Counter.builder("packline.update.increments.offered")
                    .description("check answers whose patch (the smallest the client can apply) is in this format")
                    .tag("format", format.wireName()).register(registry));
            saved.put(format, Counter.builder("packline.update.increment.saved.bytes")
                    .description("full file size minus the offered patch's size, summed over the check answers that offered one")
                    .tag("format", format.wireName()).register(registry));
        }
    }

    void asked(PatchFormat format) {
        asked.get(format).increment();
    }

    void offered(PatchFormat format, long fullBytes, long patchBytes) {
        patchesOffered.increment();
        offered.get(format).increment();
        saved.get(format).increment(Math.max(0, fullBytes - patchBytes));
    }
}
