package dev.packline.worker.metrics;

import dev.packline.pipeline.artifact.PatchFormat;
import dev.packline.pipeline.job.IncrementJob;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;

/**
 * The diff queue's increment jobs, counted by the worker that ended them: made or failed (dead
 * lettered), by format and by who asked, an update API check on demand or a submission planning its
 * increments. {@link #preRegister} creates every series at start, so a dashboard shows 0 rather
 * than "no data" before the first increment.
 */
public final class IncrementMetrics {
    /** Who asked for an increment: a check on demand ({@link IncrementJob#ON_DEMAND}) or a submission's plan. */
    public static final List<String> ORIGINS = List.of("on_demand", "planned");

    private IncrementMetrics() {
    }

    public static void preRegister(MeterRegistry registry) {
        for (PatchFormat format : PatchFormat.values()) {
            for (String origin : ORIGINS) {
                made(registry, format, origin);
                bytes(registry, format, origin);
                failed(registry, format, origin);
            }
        }
    }

    /** An increment made, stored and recorded by pair; {@code bytes} its size. */
    public static void made(MeterRegistry registry, IncrementJob job, long bytes) {
        made(registry, job.format(), origin(job)).increment();
        bytes(registry, job.format(), origin(job)).increment(bytes);
    }

    /** An increment job dead-lettered: its pair's failure is recorded and not asked for again until it lapses. */
    public static void failed(MeterRegistry registry, IncrementJob job) {
        failed(registry, job.format(), origin(job)).increment();
    }

    private static String origin(IncrementJob job) {
        return job.requestId().startsWith(IncrementJob.ON_DEMAND) ? "on_demand" : "planned";
    }

    private static Counter bytes(MeterRegistry registry, PatchFormat format, String origin) {
        return Counter.builder("packline.increment.bytes").description("bytes of increments made by increment jobs")
                .tags("format", format.wireName(), "origin", origin).register(registry);
    }

    private static Counter made(MeterRegistry registry, PatchFormat format, String origin) {
        return Counter.builder("packline.increments.made").description("increments made by increment jobs, by format and who asked")
                .tags("format", format.wireName(), "origin", origin).register(registry);
    }

    private static Counter failed(MeterRegistry registry, PatchFormat format, String origin) {
        return Counter.builder("packline.increments.failed").description("increment jobs dead-lettered, by format and who asked")
                .tags("format", format.wireName(), "origin", origin).register(registry);
    }
}
