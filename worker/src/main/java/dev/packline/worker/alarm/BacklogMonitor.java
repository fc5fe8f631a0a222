package dev.packline.worker.alarm;

import dev.packline.notify.AlertChannel;
import dev.packline.notify.Alert;

import dev.packline.queue.QueueCounts;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.worker.WorkerEvents;
import dev.packline.redis.PeriodicTask;
import dev.packline.worker.Keys;
import dev.packline.worker.WorkerConfig;
import dev.packline.worker.metrics.QueueDepthGauges;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Raises backlog alarms per queue version: too many pending jobs, or the oldest pending job too
 * old. One worker at a time checks (a Redisson lock), the state lives in Redis, a firing alarm is
 * repeated once per cooldown, and a "resolved" alert follows when the backlog is back under.
 * Every version of the served queues is checked, unserved ones included, so a version that a
 * rollout left behind with jobs and no workers still raises its alarms.
 */
public final class BacklogMonitor extends PeriodicTask {
    private final List<QueueVersion> queues;
    private final QueueDepthGauges depth;
    private final RedissonClient redisson;
    private final AlarmStates states;
    private final AlertChannel channel;
    private final WorkerConfig.Alarms thresholds;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Map<String, Integer> firing = new ConcurrentHashMap<>();

    public BacklogMonitor(List<QueueVersion> queues, QueueDepthGauges depth, RedissonClient redisson, AlertChannel channel,
                          WorkerConfig.Alarms thresholds, Clock clock, MeterRegistry registry, WorkerEvents events) {
        super("backlog-monitor", thresholds.checkInterval(), events);
        this.queues = queues;
        this.depth = depth;
        this.redisson = redisson;
        this.states = new AlarmStates(redisson);
        this.channel = channel;
        this.thresholds = thresholds;
        this.clock = clock;
        this.registry = registry;
        for (QueueVersion queue : queues) { // the gauges read 0 from the start, not "no data"
            gauge("backlog-pending:" + queue.label(), queue);
            gauge("backlog-age:" + queue.label(), queue);
        }
    }

    @Override
    public void runOnce() throws Exception {
        // every worker keeps its gauges fresh, for the versions it serves and the other versions of its queues
        Map<QueueVersion, QueueCounts> counts = depth.refresh(depth.watched(queues));
        RLock lock = redisson.getLock(Keys.BACKLOG_ALARM_LOCK);
        if (!lock.tryLock(0, 60, TimeUnit.SECONDS)) {
            return; // another worker is checking right now
        }
        try {
            for (Map.Entry<QueueVersion, QueueCounts> entry : counts.entrySet()) {
                check(entry.getKey(), entry.getValue());
            }
        } finally {
            lock.unlock();
        }
    }

    /** One evaluation of every alarm of one version (public for tests and the admin tool). */
    public void check(QueueVersion queue, QueueCounts counts) throws Exception {
        long now = clock.millis();
        long ageMillis = counts.oldestPendingSinceMillis() < 0 ? 0 : now - counts.oldestPendingSinceMillis();
        evaluate("backlog-pending:" + queue.label(), queue, counts.pending() > thresholds.backlogPending(),
                queue + " has " + counts.pending() + " pending jobs (threshold " + thresholds.backlogPending() + ")",
                "Pending: " + counts.pending() + ", active: " + counts.active() + ", retry: " + counts.retry()
                        + ", live workers: " + counts.liveWorkers() + ". Check that workers consume " + queue
                        + " (bin/packline admin queues) and scale them if the load is real.");
        evaluate("backlog-age:" + queue.label(), queue, ageMillis > thresholds.backlogOldestAge().toMillis(),
                "the oldest pending job of " + queue + " has waited " + Duration.ofMillis(ageMillis).toSeconds() + " s (threshold "
                        + thresholds.backlogOldestAge().toSeconds() + " s)",
                "Live workers: " + counts.liveWorkers() + ", paused: " + counts.paused()
                        + ". A queue with pending jobs and no live worker, or a paused one, never drains.");
    }

    private void evaluate(String alarm, QueueVersion queue, boolean over, String title, String detail) throws Exception {
        long now = clock.millis();
        AlarmStates.State state = states.get(alarm).orElse(new AlarmStates.State(false, now, 0));
        gauge(alarm, queue).put(alarm, over ? 1 : 0);
        Map<String, String> labels = Map.of("queue", queue.name(), "version", Integer.toString(queue.version()), "alarm", alarm.replaceFirst(":.*", ""));
        if (over && (!state.firing() || now - state.notifiedMillis() >= thresholds.cooldown().toMillis())) {
            String prefix = state.firing() ? "still firing since " + java.time.Instant.ofEpochMilli(state.sinceMillis()) + ": " : "";
            channel.send(new Alert(alarm, Alert.Severity.WARNING, Alert.Status.FIRING, prefix + title, detail, labels, clock.instant()));
            states.put(alarm, new AlarmStates.State(true, state.firing() ? state.sinceMillis() : now, now));
        } else if (!over && state.firing()) {
            channel.send(new Alert(alarm, Alert.Severity.INFO, Alert.Status.RESOLVED, "resolved: " + alarm,
                    "back under the threshold after " + Duration.ofMillis(now - state.sinceMillis()).toSeconds() + " s", labels, clock.instant()));
            states.put(alarm, new AlarmStates.State(false, now, now));
        }
    }

    private Map<String, Integer> gauge(String alarm, QueueVersion queue) {
        if (!firing.containsKey(alarm)) {
            firing.put(alarm, 0);
            Gauge.builder("packline.alarm.firing", firing, m -> m.getOrDefault(alarm, 0))
                    .description("1 while a platform alarm fires on this worker's last check")
                    .tags("alarm", alarm.replaceFirst(":.*", ""), "queue", queue.name(), "version", Integer.toString(queue.version()))
                    .register(registry);
        }
        return firing;
    }
}
