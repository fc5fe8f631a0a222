package dev.packline.worker.alarm;

import dev.packline.pipeline.job.JobIdentity;
import dev.packline.pipeline.job.StageJobs;
import dev.packline.notify.AlertChannel;
import dev.packline.notify.Alert;
import dev.packline.queue.JobRecord;
import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueBroker.DeadLetterEvent;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.worker.WorkerEvents;
import dev.packline.redis.PeriodicTask;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Tells the configured channels about every dead letter: the events of one digest window go out as
 * one alert naming each job's request, channel, attempts and last error. Events come through a
 * consumer group, so each is announced by exactly one worker, and are acknowledged only after the
 * channel took the alert (a crash in between announces them again, never loses them).
 */
public final class DeadLetterAlerter extends PeriodicTask {
    static final String GROUP = "alerts";
    private static final int MAX_PER_DIGEST = 500;
    private static final int DETAILED = 20;

    private final QueueBroker broker;
    private final List<QueueVersion> queues;
    private final String consumer;
    private final AlertChannel channel;
    private final Clock clock;
    private final MeterRegistry registry;

    public DeadLetterAlerter(QueueBroker broker, List<QueueVersion> queues, String consumer, AlertChannel channel, Duration digestWindow,
                             Clock clock, MeterRegistry registry, WorkerEvents events) {
        super("dead-letter-alerter", digestWindow, events);
        this.broker = broker;
        this.queues = queues;
        this.consumer = consumer;
        this.channel = channel;
        this.clock = clock;
        this.registry = registry;
        queues.forEach(this::announced); // 0 from the start, so increase() sees the first dead letter
    }

    @Override
    protected void runOnce() throws Exception {
        for (QueueVersion queue : queues) {
            announce(queue);
        }
    }

    /** Sends one digest of the version's unannounced dead letters; returns how many it covered. */
    public int announce(QueueVersion queue) throws Exception {
        List<DeadLetterEvent> claimed = broker.claimDeadLetterEvents(queue, GROUP, consumer, MAX_PER_DIGEST);
        // an admin's cancel is no failure: acknowledged unannounced
        List<DeadLetterEvent> events = claimed.stream().filter(e -> e.kind() == DeadLetterEvent.Kind.DEAD).toList();
        List<String> cancels = claimed.stream().filter(e -> e.kind() == DeadLetterEvent.Kind.CANCELLED).map(DeadLetterEvent::streamId).toList();
        broker.acknowledgeDeadLetterEvents(queue, GROUP, cancels);
        if (events.isEmpty()) {
            return 0;
        }
        StringBuilder text = new StringBuilder();
        for (DeadLetterEvent e : events.subList(0, Math.min(DETAILED, events.size()))) {
            text.append("- job ").append(e.jobId()).append(describeJob(queue, e.jobId()))
                    .append(", attempts ").append(e.attempts()).append(", ").append(e.reason()).append(": ").append(e.error()).append('\n');
        }
        if (events.size() > DETAILED) {
            text.append("... and ").append(events.size() - DETAILED).append(" more (bin/packline admin dead list --queue ")
                    .append(queue.name()).append(" --version ").append(queue.version()).append(")\n");
        }
        String title = events.size() + (events.size() == 1 ? " job" : " jobs") + " dead-lettered on " + queue;
        channel.send(new Alert("dead-letters:" + queue.label(), Alert.Severity.CRITICAL, Alert.Status.FIRING, title, text.toString(),
                Map.of("queue", queue.name(), "version", Integer.toString(queue.version())), clock.instant()));
        broker.acknowledgeDeadLetterEvents(queue, GROUP, events.stream().map(DeadLetterEvent::streamId).toList());
        announced(queue).increment(events.size());
        return events.size();
    }

    /** ", request R, channel C" when the payload names them (pipeline jobs do). */
    private String describeJob(QueueVersion queue, String jobId) {
        JobRecord record;
        try {
            record = broker.job(queue, jobId).orElse(null);
        } catch (RuntimeException e) {
            return ""; // the digest goes out without the detail rather than not at all
        }
        if (record == null || record.payload() == null) {
            return "";
        }
        JobIdentity job = StageJobs.identify(record.payload()).orElse(null);
        if (job == null) {
            return "";
        }
        return job.requestId().map(id -> ", request " + id).orElse("") + job.channel().map(c -> ", channel " + c).orElse("");
    }

    private Counter announced(QueueVersion queue) {
        return Counter.builder("packline.dead.letters.announced").description("dead letters announced to the alert channels")
                .tags("queue", queue.name(), "version", Integer.toString(queue.version())).register(registry);
    }
}
