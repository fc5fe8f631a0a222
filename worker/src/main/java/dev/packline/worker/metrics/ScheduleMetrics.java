package dev.packline.worker.metrics;

import dev.packline.queue.schedule.Scheduler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.function.Consumer;

/**
 * What this worker's scheduler did, as {@code packline_schedule_ticks_total{outcome}}: {@code fired}
 * (this worker enqueued a tick's job), {@code already_fired} (another scheduler had), {@code failed}
 * (the queue could not take the job; the tick stays due and is tried again every round). All three
 * are registered at 0 so an alert on failures has its series from the start.
 */
public final class ScheduleMetrics implements Consumer<Scheduler.Round> {
    private final Counter fired;
    private final Counter alreadyFired;
    private final Counter failed;

    public ScheduleMetrics(MeterRegistry registry) {
        this.fired = counter(registry, "fired");
        this.alreadyFired = counter(registry, "already_fired");
        this.failed = counter(registry, "failed");
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder("packline.schedule.ticks").description("schedule ticks this worker's scheduler handled, by outcome")
                .tags("outcome", outcome).register(registry);
    }

    @Override
    public void accept(Scheduler.Round round) {
        fired.increment(round.fired());
        alreadyFired.increment(round.alreadyFired());
        failed.increment(round.failed());
    }
}
