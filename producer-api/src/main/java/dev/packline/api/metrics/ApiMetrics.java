package dev.packline.api.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every metric the API publishes, by the names dashboards are built on (docs/metrics.md, "API"),
 * on one Prometheus registry with the JVM binders. Tags are bounded: routes are templates
 * ({@code /v1/jobs/{id}}), reasons come from {@code Reason}, publishers from the configuration.
 */
public final class ApiMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final AtomicInteger sseConnections = new AtomicInteger();
    private final AtomicInteger redisUp = new AtomicInteger();

    public ApiMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        Gauge.builder("packline.api.sse.connections", sseConnections, AtomicInteger::get)
                .description("open server-sent event streams").register(registry);
        Gauge.builder("packline.redis.up", redisUp, AtomicInteger::get)
                .description("1 when the last Redis ping succeeded, 0 otherwise").register(registry);
    }

    /** One answered call; {@code route} is the template it matched. */
    public void request(String method, String route, int status, long nanos) {
        Timer.builder("packline.api.requests").description("API calls by route template and status").publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .tags("method", method, "route", route, "status", Integer.toString(status))
                .register(registry).record(Duration.ofNanos(nanos));
    }

    public void error(String route, int status, String reason) {
        Counter.builder("packline.api.errors").description("refused or failed calls by reason")
                .tags("route", route, "status", Integer.toString(status), "reason", reason).register(registry).increment();
    }

    /** {@code result}: accepted, duplicate or rejected. */
    public void submit(String publisher, String result) {
        Counter.builder("packline.api.submits").description("packaging requests submitted")
                .tags("publisher", publisher, "result", result).register(registry).increment();
    }

    /** One {@code POST /v1/artifacts} by its result: accepted, duplicate (an Idempotency-Key replay) or rejected. */
    public void artifactSubmit(String publisher, String result) {
        Counter.builder("packline.api.artifact.submits").description("bundles and offline packages submitted (POST /v1/artifacts)")
                .tags("publisher", publisher, "result", result).register(registry).increment();
    }

    public void channelsSubmitted(String publisher, int channels) {
        Counter.builder("packline.api.channels.submitted").description("channel jobs enqueued by accepted submits")
                .tags("publisher", publisher).register(registry).increment(channels);
    }

    /** {@code limit}: submit_rate or channels_in_flight. */
    public void rateLimited(String publisher, String limit) {
        Counter.builder("packline.api.rate.limited").description("submits refused by a per-publisher limit")
                .tags("publisher", publisher, "limit", limit).register(registry).increment();
    }

    public AtomicInteger sseConnections() {
        return sseConnections;
    }

    public void redisUp(boolean up) {
        redisUp.set(up ? 1 : 0);
    }

    public String scrape() {
        return registry.scrape();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
