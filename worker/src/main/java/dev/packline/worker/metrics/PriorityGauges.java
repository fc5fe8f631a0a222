package dev.packline.worker.metrics;

import dev.packline.queue.GroupStatus;
import dev.packline.queue.LevelStatus;
import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueVersion;
import dev.packline.redis.PeriodicTask;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Depth per priority level and per group of the queue versions a worker serves, sampled from Redis
 * every interval (not on scrape): ready jobs and how long the next job has waited, per level
 * (always the three levels, so alerts and panels find their series), and running and parked jobs
 * per group for the {@link #TOP_GROUPS} groups with the most of both, the rest summed as
 * {@code other}. Series per queue version: 3 per level metric, at most {@code TOP_GROUPS + 1} per
 * group metric, whatever the number of groups.
 */
public final class PriorityGauges extends PeriodicTask {
    static final int TOP_GROUPS = 20;

    private final QueueBroker broker;
    private final Clock clock;
    private final List<QueueVersion> queues;
    private final MultiGauge ready;
    private final MultiGauge waited;
    private final MultiGauge running;
    private final MultiGauge parked;

    public PriorityGauges(QueueBroker broker, Clock clock, MeterRegistry registry, List<QueueVersion> queues, Duration interval, Failures failures) {
        super("priority-gauges", interval, failures);
        this.broker = broker;
        this.clock = clock;
        this.queues = List.copyOf(queues);
        this.ready = MultiGauge.builder("packline.queue.level.ready").description("ready jobs per priority level (parked ones are per group)")
                .register(registry);
        this.waited = MultiGauge.builder("packline.queue.level.wait").baseUnit("seconds")
                .description("how long the job each level hands out next has been ready (0 when the level is empty)").register(registry);
        this.running = MultiGauge.builder("packline.queue.group.running").description("running jobs per group across all workers (top groups, rest as other)")
                .register(registry);
        this.parked = MultiGauge.builder("packline.queue.group.parked").description("jobs waiting because their group is at its cap (top groups, rest as other)")
                .register(registry);
    }

    @Override
    protected void runOnce() {
        refresh();
    }

    /** Reads every served version once and replaces the gauges' rows. */
    public synchronized void refresh() {
        List<MultiGauge.Row<?>> readyRows = new ArrayList<>();
        List<MultiGauge.Row<?>> waitRows = new ArrayList<>();
        List<MultiGauge.Row<?>> runningRows = new ArrayList<>();
        List<MultiGauge.Row<?>> parkedRows = new ArrayList<>();
        long now = clock.millis();
        for (QueueVersion queue : queues) {
            Tags version = Tags.of("queue", queue.name(), "version", Integer.toString(queue.version()));
            for (LevelStatus level : broker.levels(queue)) {
                Tags tags = version.and("level", level.level().wireName());
                readyRows.add(MultiGauge.Row.of(tags, level.ready()));
                waitRows.add(MultiGauge.Row.of(tags, level.nextReadySince().isEmpty() ? 0 : Math.max(0, now - level.nextReadySince().getAsLong()) / 1000.0));
            }
            Map<String, long[]> byLabel = topGroups(broker.groups(queue));
            byLabel.forEach((group, counts) -> {
                runningRows.add(MultiGauge.Row.of(version.and("group", group), counts[0]));
                parkedRows.add(MultiGauge.Row.of(version.and("group", group), counts[1]));
            });
        }
        ready.register(readyRows, true);
        waited.register(waitRows, true);
        running.register(runningRows, true);
        parked.register(parkedRows, true);
    }

    /** The busiest groups by name, the rest summed under {@code other} (always present, so the series exist). */
    static Map<String, long[]> topGroups(List<GroupStatus> groups) {
        List<GroupStatus> sorted = new ArrayList<>(groups);
        sorted.sort(Comparator.comparingLong((GroupStatus g) -> g.running() + g.parked()).reversed().thenComparing(GroupStatus::group));
        Map<String, long[]> out = new LinkedHashMap<>();
        long[] other = {0, 0};
        for (GroupStatus g : sorted) {
            if (out.size() < TOP_GROUPS && g.running() + g.parked() > 0) {
                out.put(g.group().isEmpty() ? GroupLabels.DEFAULT : g.group(), new long[]{g.running(), g.parked()});
            } else {
                other[0] += g.running();
                other[1] += g.parked();
            }
        }
        out.put(GroupLabels.OTHER, other);
        return out;
    }
}
