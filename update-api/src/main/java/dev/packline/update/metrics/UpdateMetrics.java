package dev.packline.update.metrics;

import dev.packline.releases.InstallEvent;
import dev.packline.releases.Names;
import dev.packline.releases.redis.InstallReports.Tally;
import dev.packline.releases.rollout.Decision;
import dev.packline.releases.serving.CatalogCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import dev.packline.releases.rollout.CheckOutcome;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Every metric the update API publishes (docs/metrics.md, "Update API"), on one Prometheus
 * registry with the JVM binders. Tags are bounded: outcomes and events are enums, routes are
 * templates, and per-release series exist only for releases that got reports.
 */
public final class UpdateMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final Timer checkLatency;
    private final Map<String, AtomicLong> releaseSeries = new ConcurrentHashMap<>();
    /**
     * The per-call meters, resolved once: looking a tagged meter up through its builder on every call
     * built its id and tags and searched the registry, a cost the check route paid twice per request.
     */
    private final Map<CheckOutcome, Counter> checksByOutcome = new EnumMap<>(CheckOutcome.class);
    private final Map<String, AtomicReferenceArray<Timer>> requestTimers = new ConcurrentHashMap<>();
    private static final int STATUSES = 600;

    public UpdateMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        checkLatency = Timer.builder("packline.update.check.latency").description("time to choose a check's answer, from the snapshot")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(1_000)).maximumExpectedValue(Duration.ofSeconds(1))
                .register(registry);
        for (CheckOutcome outcome : CheckOutcome.values()) {
            checksByOutcome.put(outcome, Counter.builder("packline.update.checks").description("checks answered, by outcome")
                    .tags("outcome", Names.of(outcome)).register(registry));
        }
    }

    /** The snapshot's gauges: its catalogue version and how long since Redis last confirmed it. */
    public void watch(CatalogCache cache) {
        Gauge.builder("packline.update.snapshot.version", cache, c -> c.current().version())
                .description("the catalogue version the snapshot reflects").register(registry);
        Gauge.builder("packline.update.snapshot.age.seconds", cache, c -> c.age().toMillis() / 1000.0)
                .description("seconds since Redis last confirmed the snapshot is current").register(registry);
        Gauge.builder("packline.update.snapshot.releases", cache, c -> c.current().releaseCount())
                .description("releases in the snapshot").register(registry);
    }

    /** One answered check: its outcome and the time to decide. */
    public void check(Decision d, long nanos) {
        checksByOutcome.get(d.outcome()).increment();
        checkLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void request(String route, int status, long nanos) {
        if (status < 0 || status >= STATUSES) {
            requestTimer(route, status).record(nanos, TimeUnit.NANOSECONDS);
            return;
        }
        AtomicReferenceArray<Timer> byStatus = requestTimers.computeIfAbsent(route, r -> new AtomicReferenceArray<>(STATUSES));
        Timer timer = byStatus.get(status);
        if (timer == null) {
            timer = requestTimer(route, status); // the registry returns the one meter however many calls race here
            byStatus.set(status, timer);
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer requestTimer(String route, int status) {
        return Timer.builder("packline.update.requests").description("HTTP calls by route template and status")
                .tags("route", route, "status", Integer.toString(status)).register(registry);
    }

    public void refused(String route, String reason) {
        Counter.builder("packline.update.refused").description("calls refused or failed, by reason")
                .tags("route", route, "reason", reason).register(registry).increment();
    }

    public void report(InstallEvent event) {
        Counter.builder("packline.update.reports").description("client reports received by this instance, by event")
                .tags("event", Names.of(event)).register(registry).increment();
    }

    public void autoPause(String app) {
        Counter.builder("packline.update.auto.pauses").description("gray releases this instance paused because too many installs failed")
                .tags("app", app).register(registry).increment();
    }

    /** A release's reports across every instance, as last read from Redis (the release tallies task). */
    public void releaseTally(String app, long release, InstallEvent event, Tally tally) {
        String base = app + "\n" + release + "\n" + Names.of(event);
        series("packline.update.release.reports", "reports of one release across all instances, by event", base, app, release, event)
                .set(tally.reports());
        series("packline.update.release.clients", "distinct clients that reported an event for one release (HyperLogLog estimate)",
                base + "\nclients", app, release, event).set(tally.clients());
    }

    private AtomicLong series(String name, String description, String id, String app, long release, InstallEvent event) {
        return releaseSeries.computeIfAbsent(name + "\n" + id, k -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(name, value, AtomicLong::get).description(description)
                    .tags("app", app, "release", Long.toString(release), "event", Names.of(event)).register(registry);
            return value;
        });
    }

    /** The registry, for the parts that keep their own metrics on it (increments). */
    public MeterRegistry registry() {
        return registry;
    }

    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
