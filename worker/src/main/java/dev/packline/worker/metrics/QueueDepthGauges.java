package dev.packline.worker.metrics;

import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueCounts;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.VersionState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Queue depth per version and state, the oldest pending job's age, live workers, and the
 * version's lifecycle state (1 for the state it is in, 0 for the others, so a draining version
 * that never retires is one PromQL comparison) and pause flag, as gauges. Sampled by
 * {@link #refresh()} (the alarm loop calls it), not on scrape, so a slow Redis never slows
 * Prometheus down.
 */
public final class QueueDepthGauges {
    private static final Logger log = LoggerFactory.getLogger(QueueDepthGauges.class);
    private static final List<String> STATES = List.of("pending", "delayed", "active", "retry", "dead");

    private final QueueBroker broker;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Map<QueueVersion, QueueCounts> latest = new ConcurrentHashMap<>();
    private final Set<QueueVersion> registered = ConcurrentHashMap.newKeySet();

    public QueueDepthGauges(QueueBroker broker, Clock clock, MeterRegistry registry, List<QueueVersion> queues) {
        this.broker = broker;
        this.clock = clock;
        this.registry = registry;
        queues.forEach(this::register);
    }

    private void register(QueueVersion queue) {
        if (!registered.add(queue)) {
            return;
        }
        String version = Integer.toString(queue.version());
        for (String state : STATES) {
            Gauge.builder("packline.queue.jobs", () -> count(queue, state)).description("jobs in a queue version by state")
                    .tags("queue", queue.name(), "version", version, "state", state).register(registry);
        }
        Gauge.builder("packline.queue.oldest.pending.age", () -> oldestAgeSeconds(queue)).baseUnit("seconds")
                .description("age of the job waiting longest in pending (0 when none)")
                .tags("queue", queue.name(), "version", version).register(registry);
        Gauge.builder("packline.queue.workers", () -> latest.containsKey(queue) ? latest.get(queue).liveWorkers() : Double.NaN)
                .description("workers with a live lease on the version").tags("queue", queue.name(), "version", version).register(registry);
        for (VersionState state : VersionState.values()) {
            Gauge.builder("packline.queue.version.state", () -> inState(queue, state))
                    .description("1 while the version is in this lifecycle state (active, draining, retired), else 0")
                    .tags("queue", queue.name(), "version", version, "state", state.wireName()).register(registry);
        }
        Gauge.builder("packline.queue.paused", () -> latest.containsKey(queue) ? (latest.get(queue).paused() ? 1 : 0) : Double.NaN)
                .description("1 while the version is paused (hands out no jobs)").tags("queue", queue.name(), "version", version).register(registry);
    }

    private double inState(QueueVersion queue, VersionState state) {
        QueueCounts c = latest.get(queue);
        if (c == null) {
            return Double.NaN;
        }
        return c.state() == state ? 1 : 0;
    }

    /**
     * The served versions plus every other version of the same queues: a version nobody serves
     * any more (jobs left behind by a rollout) still shows its backlog and its 0 live workers, which
     * is what the alert on pending jobs without workers needs. Obliterated versions drop out.
     */
    public List<QueueVersion> watched(List<QueueVersion> served) {
        Set<QueueVersion> out = new LinkedHashSet<>(served);
        for (String name : served.stream().map(QueueVersion::name).distinct().toList()) {
            try {
                out.addAll(broker.versions(name));
            } catch (RuntimeException e) {
                log.debug("cannot list the versions of {}: {}", name, e.toString());
            }
        }
        latest.keySet().retainAll(out); // an obliterated version's gauges read NaN
        return List.copyOf(out);
    }

    /**
     * Reads every version's counts once and returns them for the alarms. A version seen for the
     * first time gets its gauges, unless it is retired already (an old version that is done).
     */
    public Map<QueueVersion, QueueCounts> refresh(List<QueueVersion> queues) {
        for (QueueVersion queue : queues) {
            try {
                QueueCounts counts = broker.counts(queue);
                if (!registered.contains(queue) && counts.state() == VersionState.RETIRED) {
                    continue;
                }
                register(queue);
                latest.put(queue, counts);
            } catch (RuntimeException e) {
                latest.remove(queue); // gauges read NaN: better no data than stale data
                log.debug("cannot read counts of {}: {}", queue, e.toString());
            }
        }
        return Map.copyOf(latest);
    }

    private double count(QueueVersion queue, String state) {
        QueueCounts c = latest.get(queue);
        if (c == null) {
            return Double.NaN;
        }
        return switch (state) {
            case "pending" -> c.pending();
            case "delayed" -> c.delayed();
            case "active" -> c.active();
            case "retry" -> c.retry();
            default -> c.dead();
        };
    }

    private double oldestAgeSeconds(QueueVersion queue) {
        QueueCounts c = latest.get(queue);
        if (c == null) {
            return Double.NaN;
        }
        return c.oldestPendingSinceMillis() < 0 ? 0 : Math.max(0, clock.millis() - c.oldestPendingSinceMillis()) / 1000.0;
    }
}
