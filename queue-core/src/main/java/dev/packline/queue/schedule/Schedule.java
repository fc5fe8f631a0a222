package dev.packline.queue.schedule;

import dev.packline.queue.NewJob;
import dev.packline.queue.Priority;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A job enqueued on a cadence: every tick of a cron expression in a time zone, or every fixed
 * interval (ticks at whole multiples of it since the epoch, so every instance computes the same
 * ones). Each tick enqueues one job with the id {@code sched:NAME:TICK} on the queue's current
 * version, with the schedule's payload, priority and group ({@link Scheduler}).
 *
 * @param cron  five-field cron expression ({@link CronExpression}), or null when {@code every} is set
 * @param every interval of at least a second, or null when {@code cron} is set
 * @param zone  the cron expression's time zone (IANA name, UTC by default)
 * @param paused a paused schedule keeps its definition and fires nothing
 */
public record Schedule(String name, String queue, String payload, String cron, Duration every, String zone, String priority, String group,
                       boolean paused) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    public Schedule {
        zone = zone == null ? "UTC" : zone;
        priority = priority == null ? Priority.NORMAL.wireName() : priority;
        payload = payload == null ? "{}" : payload;
    }

    /** Every problem of this definition, empty when it is valid. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (name == null || !NAME.matcher(name).matches()) {
            problems.add("name: 1 to 100 letters, digits, '.', '_' or '-', got '" + name + "'");
        }
        if (queue == null || queue.isBlank()) {
            problems.add("queue: required");
        }
        if ((cron == null) == (every == null)) {
            problems.add("cadence: give exactly one of a cron expression or an interval");
        }
        if (cron != null) {
            try {
                CronExpression.parse(cron);
            } catch (IllegalArgumentException e) {
                problems.add("cron: " + e.getMessage());
            }
        }
        if (every != null && every.compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add("every: at least 1s, got " + every);
        }
        try {
            ZoneId.of(zone);
        } catch (DateTimeException e) {
            problems.add("zone: unknown time zone '" + zone + "'");
        }
        try {
            Priority.parse(priority);
        } catch (IllegalArgumentException e) {
            problems.add("priority: " + e.getMessage());
        }
        try {
            NewJob.requireGroupName(group);
        } catch (IllegalArgumentException e) {
            problems.add("group: " + e.getMessage());
        }
        return problems;
    }

    /** The first tick strictly after {@code after}; call on a valid schedule. */
    public Instant nextTick(Instant after) {
        if (every != null) {
            long period = every.toMillis();
            return Instant.ofEpochMilli(Math.floorDiv(after.toEpochMilli(), period) * period + period);
        }
        ZonedDateTime next = CronExpression.parse(cron).next(after.atZone(ZoneId.of(zone)));
        if (next == null) {
            throw new IllegalStateException("schedule " + name + ": cron expression '" + cron + "' has no next tick");
        }
        return next.toInstant();
    }

    /** The job of the tick at {@code tickMillis}: its id names the schedule and the tick, so a second enqueue of a tick adds nothing. */
    public NewJob job(long tickMillis) {
        return NewJob.of(payload).withId(jobId(name, tickMillis)).withPriority(Priority.parse(priority)).withGroup(group);
    }

    static String jobId(String name, long tickMillis) {
        return "sched:" + name + ":" + tickMillis;
    }

    public String cadence() {
        return cron != null ? "cron '" + cron + "' in " + zone : "every " + every;
    }

    public Schedule withPaused(boolean newPaused) {
        return new Schedule(name, queue, payload, cron, every, zone, priority, group, newPaused);
    }
}
