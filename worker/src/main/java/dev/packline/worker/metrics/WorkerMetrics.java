package dev.packline.worker.metrics;

import dev.packline.queue.Job;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.worker.Subscription;
import dev.packline.queue.worker.Worker;
import dev.packline.queue.worker.WorkerEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Turns the worker runtime's events into Prometheus metrics (names and meanings in docs/metrics.md).
 * Meters are looked up per call: Micrometer caches them, and the label sets stay small
 * (queue, version, outcome).
 *
 * <p>Micrometer exports a tagged series only once it has been touched, so {@link #preRegister}
 * creates every series of the served versions at start: a dashboard then shows 0, not "no data",
 * for a worker that has not yet seen a dead letter or a stall.
 */
public final class WorkerMetrics implements WorkerEvents {
    /** The components that report Redis errors and loop failures: the runtime's loops and the worker app's own. */
    static final List<String> COMPONENTS = List.of("fetcher", "acker", "heartbeater", "recoverer", "janitor", "watchdog",
            "backlog-monitor", "dead-letter-alerter", "stage-dead-letters", "redis-health", "upload-janitor");

    private final MeterRegistry registry;

    public WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers every series of these versions with zero counts. */
    public void preRegister(List<QueueVersion> queues) {
        for (QueueVersion queue : queues) {
            for (Outcome outcome : Outcome.values()) {
                finished(queue, outcome);
            }
            waitTimer(queue);
            durationTimer(queue);
            stalls(queue);
            recoveredCounter(queue, "pending");
            recoveredCounter(queue, "dead");
        }
        COMPONENTS.forEach(this::redisErrors);
        COMPONENTS.forEach(this::loopFailures);
    }

    /**
     * Jobs running now per version (each on its own virtual thread: the "virtual threads busy" of
     * the dashboards), beside the version's concurrency limit, read from the runtime on scrape.
     */
    public void inFlight(Worker worker, List<Subscription> subscriptions) {
        for (Subscription s : subscriptions) {
            QueueVersion queue = s.queue();
            Gauge.builder("packline.jobs.in.flight", worker, w -> w.inFlight(queue)).description("jobs running now, one virtual thread each")
                    .tags("queue", queue.name(), "version", version(queue)).register(registry);
            Gauge.builder("packline.jobs.concurrency", s, Subscription::concurrency).description("jobs this worker runs at once at most")
                    .tags("queue", queue.name(), "version", version(queue)).register(registry);
        }
    }

    @Override
    public void jobStarted(Job job, Duration waited) {
        waitTimer(job.queue()).record(waited);
    }

    @Override
    public void jobFinished(Job job, Outcome outcome, Duration took) {
        finished(job.queue(), outcome).increment();
        durationTimer(job.queue()).record(took);
    }

    @Override
    public void fetchStalled(QueueVersion queue, Duration silentFor) {
        stalls(queue).increment();
    }

    @Override
    public void redisError(String component, Exception error) {
        redisErrors(component.replaceFirst(" .*", "")).increment();
    }

    @Override
    public void loopFailed(String component, Throwable error) {
        loopFailures(component.replaceFirst(" .*", "")).increment();
    }

    @Override
    public void recovered(QueueVersion queue, int returned, int deadLettered) {
        recoveredCounter(queue, "pending").increment(returned);
        recoveredCounter(queue, "dead").increment(deadLettered);
    }

    private Counter finished(QueueVersion queue, Outcome outcome) {
        return Counter.builder("packline.jobs.finished").description("deliveries finished, by outcome")
                .tags("queue", queue.name(), "version", version(queue), "outcome", outcome.name().toLowerCase(Locale.ROOT))
                .register(registry);
    }

    private Timer waitTimer(QueueVersion queue) {
        return Timer.builder("packline.job.wait").description("time from a job becoming ready to its start")
                .tags("queue", queue.name(), "version", version(queue)).publishPercentileHistogram().register(registry);
    }

    private Timer durationTimer(QueueVersion queue) {
        return Timer.builder("packline.job.duration").description("handler run time per delivery")
                .tags("queue", queue.name(), "version", version(queue)).publishPercentileHistogram().register(registry);
    }

    private Counter stalls(QueueVersion queue) {
        return Counter.builder("packline.fetch.stalls").description("fetch loops restarted by the watchdog after hearing nothing from Redis")
                .tags("queue", queue.name(), "version", version(queue)).register(registry);
    }

    private Counter redisErrors(String component) {
        return Counter.builder("packline.redis.errors").description("failed Redis calls by worker component")
                .tags("component", component).register(registry);
    }

    private Counter loopFailures(String component) {
        return Counter.builder("packline.loop.failures").description("failed rounds of background and fetch loops, by component, other than Redis errors")
                .tags("component", component).register(registry);
    }

    private Counter recoveredCounter(QueueVersion queue, String to) {
        return Counter.builder("packline.jobs.recovered").description("jobs taken back from dead or hung workers")
                .tags("queue", queue.name(), "version", version(queue), "to", to).register(registry);
    }

    private static String version(QueueVersion queue) {
        return Integer.toString(queue.version());
    }
}
