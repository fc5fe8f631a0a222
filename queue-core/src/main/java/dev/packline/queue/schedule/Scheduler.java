package dev.packline.queue.schedule;

import dev.packline.queue.Enqueued;
import dev.packline.queue.QueueClient;
import dev.packline.redis.PeriodicTask;
import dev.packline.redis.RedisErrors;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Fires due schedules: for each one whose tick has come, enqueues the tick's job on the queue's
 * current version, then moves the schedule on to its next tick. Every worker runs one, and the
 * ticks still fire once: the job id names the tick ({@code sched:NAME:TICK}), so a second enqueue of
 * it adds nothing, and only the scheduler that finds the tick still recorded moves it on
 * ({@code schedule_advance.lua}). The order makes a crash harmless: a scheduler that dies after the
 * enqueue leaves the tick due, and the next one finds the job already there. Ticks missed while no
 * scheduler ran (every worker down) fire once, as the oldest missed tick, not once each.
 * A schedule whose queue cannot take the job (no current version) stays due and is tried again
 * every round; its failure is logged once a minute.
 */
public final class Scheduler extends PeriodicTask {
    private static final int BATCH = 100;
    private static final Duration LOG_EVERY = Duration.ofMinutes(1);

    /** What one round did, for tests and logs. */
    public record Round(int fired, int alreadyFired, int failed) {
    }

    private final ScheduleStore store;
    private final QueueClient queues;
    private final Clock clock;
    private final Consumer<Round> rounds;
    private final Map<String, Instant> lastFailureLogged = new HashMap<>();

    /** @param rounds told what each round did (the worker counts it: {@code packline_schedule_ticks_total}) */
    public Scheduler(ScheduleStore store, QueueClient queues, Clock clock, Duration interval, Failures failures, Consumer<Round> rounds) {
        super("scheduler", interval, failures);
        this.store = store;
        this.queues = queues;
        this.clock = clock;
        this.rounds = rounds;
    }

    @Override
    protected void runOnce() {
        rounds.accept(fireDue());
    }

    /** Fires every schedule due now (at most a batch a round); Redis failures go to the loop. */
    public synchronized Round fireDue() {
        Instant now = clock.instant();
        int fired = 0;
        int already = 0;
        int failed = 0;
        for (Map.Entry<String, Long> due : store.due(now, BATCH).entrySet()) {
            String name = due.getKey();
            long tick = due.getValue();
            Optional<Schedule> schedule = store.get(name);
            if (schedule.isEmpty()) {
                continue; // removed since the read
            }
            Enqueued job;
            try {
                job = queues.enqueue(schedule.get().queue(), schedule.get().job(tick));
            } catch (RuntimeException e) {
                if (RedisErrors.isRedisFailure(e)) {
                    throw e;
                }
                failed++;
                logFailure(name, now, e);
                continue;
            }
            long next = schedule.get().nextTick(Instant.ofEpochMilli(Math.max(tick, now.toEpochMilli()))).toEpochMilli();
            boolean moved = store.advance(name, tick, next);
            if (job.created()) {
                fired++;
                lastFailureLogged.remove(name);
                log.info("schedule {} fired its tick {} as job {} on {}; next tick {}", name, Instant.ofEpochMilli(tick), job.id(),
                        job.queue(), moved ? Instant.ofEpochMilli(next) : "(moved on by another scheduler)");
            } else {
                already++;
            }
        }
        return new Round(fired, already, failed);
    }

    private void logFailure(String name, Instant now, RuntimeException e) {
        Instant last = lastFailureLogged.get(name);
        if (last == null || Duration.between(last, now).compareTo(LOG_EVERY) >= 0) {
            log.warn("schedule {} could not enqueue its tick (tried again every round): {}", name, e.getMessage());
            lastFailureLogged.put(name, now);
        }
    }
}
