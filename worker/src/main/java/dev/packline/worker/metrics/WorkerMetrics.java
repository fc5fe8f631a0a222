package dev.packline.worker.metrics;

import dev.packline.queue.Job;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.worker.WorkerEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/**
 * Turns the worker runtime's events into Prometheus metrics (names and meanings in docs/metrics.md).
 * Meters are looked up per call: Micrometer caches them, and the label sets stay small
 * (queue, version, outcome).
 */
public final class WorkerMetrics implements WorkerEvents {
    private final MeterRegistry registry;

    public WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void jobStarted(Job job, Duration waited) {
        Timer.builder("packline.job.wait").description("time from a job becoming ready to its start")
                .tags("queue", job.queue().name(), "version", version(job.queue()))
                .publishPercentileHistogram().register(registry).record(waited);
    }

    @Override
    public void jobFinished(Job job, Outcome outcome, Duration took) {
        Counter.builder("packline.jobs.finished").description("deliveries finished, by outcome")
                .tags("queue", job.queue().name(), "version", version(job.queue()), "outcome", outcome.name().toLowerCase())
                .register(registry).increment();
        Timer.builder("packline.job.duration").description("handler run time per delivery")
                .tags("queue", job.queue().name(), "version", version(job.queue()))
                .publishPercentileHistogram().register(registry).record(took);
    }

    @Override
    public void fetchStalled(QueueVersion queue, Duration silentFor) {
        Counter.builder("packline.fetch.stalls").description("fetch loops restarted by the watchdog after hearing nothing from Redis")
                .tags("queue", queue.name(), "version", version(queue)).register(registry).increment();
    }

    @Override
    public void redisError(String component, Exception error) {
        Counter.builder("packline.redis.errors").description("failed Redis calls by worker component")
                .tags("component", component.replaceFirst(" .*", "")).register(registry).increment();
    }

    @Override
    public void recovered(QueueVersion queue, int returned, int deadLettered) {
        Counter.builder("packline.jobs.recovered").description("jobs taken back from dead or hung workers")
                .tags("queue", queue.name(), "version", version(queue), "to", "pending").register(registry).increment(returned);
        Counter.builder("packline.jobs.recovered").description("jobs taken back from dead or hung workers")
                .tags("queue", queue.name(), "version", version(queue), "to", "dead").register(registry).increment(deadLettered);
    }

    private static String version(QueueVersion queue) {
        return Integer.toString(queue.version());
    }
}
