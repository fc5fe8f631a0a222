package dev.packline.worker.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.queue.Job;
import dev.packline.queue.Priority;
import dev.packline.queue.worker.JobHandler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

/**
 * Throughput and wait time per priority and group of the stage jobs a worker runs, read from the
 * job's payload (the pipeline's channel jobs carry their request's {@code priority} and
 * {@code group}; others count as normal in the default group):
 * {@code packline_jobs_by_priority_total{queue, priority, group, outcome}} (outcome {@code completed}
 * or {@code failed}: the handler returned or threw), the histogram
 * {@code packline_job_wait_by_priority_seconds{queue, priority}}, and the plain timer
 * {@code packline_job_wait_by_group_seconds{queue, group}} (count and sum only: an average per group
 * without a histogram per group). Groups are bounded by {@link GroupLabels}.
 */
public final class PriorityJobMetrics {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MeterRegistry registry;
    private final Clock clock;
    private final GroupLabels groups = new GroupLabels();

    public PriorityJobMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** The handler, measured. */
    public JobHandler measured(JobHandler handler) {
        return JobHandler.reporting((job, progress) -> {
            String[] labels = labels(job);
            Duration waited = Duration.ofMillis(Math.max(0, clock.millis() - job.availableAtMillis()));
            Timer.builder("packline.job.wait.by.priority").description("time from a job becoming ready to its start, per priority level")
                    .tags("queue", job.queue().name(), "priority", labels[0]).publishPercentileHistogram().register(registry).record(waited);
            Timer.builder("packline.job.wait.by.group").description("time from a job becoming ready to its start, per group (count and sum)")
                    .tags("queue", job.queue().name(), "group", labels[1]).register(registry).record(waited);
            String outcome = "failed";
            try {
                handler.handle(job, progress);
                outcome = "completed";
            } finally {
                Counter.builder("packline.jobs.by.priority").description("stage jobs run, per priority level and group, by outcome")
                        .tags("queue", job.queue().name(), "priority", labels[0], "group", labels[1], "outcome", outcome)
                        .register(registry).increment();
            }
        });
    }

    /** Registers the series a dashboard reads before any job ran: every level, the default group, both outcomes. */
    public void preRegister(String queue) {
        for (Priority level : Priority.values()) {
            Timer.builder("packline.job.wait.by.priority").description("time from a job becoming ready to its start, per priority level")
                    .tags("queue", queue, "priority", level.wireName()).publishPercentileHistogram().register(registry);
            for (String outcome : new String[]{"completed", "failed"}) {
                Counter.builder("packline.jobs.by.priority").description("stage jobs run, per priority level and group, by outcome")
                        .tags("queue", queue, "priority", level.wireName(), "group", GroupLabels.DEFAULT, "outcome", outcome).register(registry);
            }
        }
        Timer.builder("packline.job.wait.by.group").description("time from a job becoming ready to its start, per group (count and sum)")
                .tags("queue", queue, "group", GroupLabels.DEFAULT).register(registry);
    }

    /** {priority, group label} from the payload; a payload without them (or not JSON) is normal in the default group. */
    private String[] labels(Job job) {
        String priority = Priority.NORMAL.wireName();
        String group = null;
        try {
            JsonNode node = JSON.readTree(job.payload());
            if (node != null && node.isObject()) {
                String named = node.path("priority").asText("");
                for (Priority p : Priority.values()) {
                    if (p.wireName().equals(named)) {
                        priority = named;
                    }
                }
                group = node.path("group").isTextual() ? node.get("group").asText() : null;
            }
        } catch (IOException e) {
            // a malformed payload: the stage rejects it; counted as normal in the default group
        }
        return new String[]{priority, groups.label(group)};
    }
}
