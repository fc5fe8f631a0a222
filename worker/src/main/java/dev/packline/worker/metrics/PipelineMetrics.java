package dev.packline.worker.metrics;

import dev.packline.pipeline.RequestState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Collection;
import java.util.List;

/**
 * The pipeline's own counters: channels ended by outcome, requests finished by final state,
 * bytes packaged and uploaded, mother cache lookups. {@link #preRegister} creates every series at
 * start so a dashboard shows 0 rather than "no data" before the first request.
 */
public final class PipelineMetrics {
    /** How a channel ends (request_progress.lua): its upload done, a stage job dead-lettered, or cancelled. */
    public static final List<String> CHANNEL_OUTCOMES = List.of("done", "dead", "cancelled");
    /** A finished request's state (request_progress.lua). */
    public static final List<String> REQUEST_STATES = RequestState.FINAL.stream().map(RequestState::wire).toList();

    private PipelineMetrics() {
    }

    /** Registers every series with zero counts; {@code stores} are the configured object store names. */
    public static void preRegister(MeterRegistry registry, Collection<String> stores) {
        CHANNEL_OUTCOMES.forEach(outcome -> channels(registry, outcome));
        REQUEST_STATES.forEach(state -> requests(registry, state));
        bytesPackaged(registry);
        stores.forEach(store -> bytesUploaded(registry, store));
        motherLookups(registry, true);
        motherLookups(registry, false);
    }

    public static void channelEnded(MeterRegistry registry, String outcome) {
        channels(registry, outcome).increment();
    }

    public static void requestFinished(MeterRegistry registry, String state) {
        requests(registry, state).increment();
    }

    public static Counter bytesPackaged(MeterRegistry registry) {
        return Counter.builder("packline.bytes.packaged").description("bytes of channel APKs written and verified by the package stage")
                .register(registry);
    }

    public static Counter bytesUploaded(MeterRegistry registry, String store) {
        return Counter.builder("packline.bytes.uploaded").description("bytes stored by the upload stage").tag("store", store).register(registry);
    }

    public static Counter motherLookups(MeterRegistry registry, boolean hit) {
        return Counter.builder("packline.mother.cache.lookups").description("mother APK lookups: hit (cached) or miss (fetched)")
                .tag("result", hit ? "hit" : "miss").register(registry);
    }

    private static Counter channels(MeterRegistry registry, String outcome) {
        return Counter.builder("packline.channels.finished").description("channels ended, by outcome (counted by the worker that ended them)")
                .tag("outcome", outcome).register(registry);
    }

    private static Counter requests(MeterRegistry registry, String state) {
        return Counter.builder("packline.requests.finished").description("requests finished, by final state (counted by the worker that finished them)")
                .tag("state", state).register(registry);
    }
}
