package dev.packline.admin;

import dev.packline.queue.schedule.Schedule;
import dev.packline.queue.schedule.ScheduleStore;
import dev.packline.settings.Settings;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code admin schedule list|set|pause|resume|remove}: the schedules the workers' schedulers fire
 * (queue-core's {@code schedule} package). {@code set} creates or replaces one whole; each change
 * takes effect at the workers' next round (about a second) and counts the next tick from now.
 */
final class ScheduleCommands {
    static final String USAGE = """
              schedule list                            schedules: queue, cadence, zone, priority, group, paused, next tick
              schedule set --name N --queue Q (--cron 'M H DOM MON DOW' [--zone Europe/Paris] | --every 10m)
                        [--payload JSON] [--priority urgent|normal|bulk] [--group G]
                                                       create or replace a schedule: one job per tick, id sched:N:TICK
              schedule pause|resume|remove --name N
            """.stripTrailing();

    private final ScheduleStore store;
    private final Output out;

    ScheduleCommands(ScheduleStore store, Output out) {
        this.store = store;
        this.out = out;
    }

    int run(Args args) {
        String sub = args.word(1);
        if (sub == null) {
            throw new Args.UsageException("schedule needs list, set, pause, resume or remove");
        }
        return switch (sub) {
            case "list" -> list(args);
            case "set" -> set(args);
            case "pause", "resume" -> pause(args, sub.equals("pause"));
            case "remove" -> remove(args);
            default -> throw new Args.UsageException("unknown schedule command '" + sub + "'; expected list, set, pause, resume or remove");
        };
    }

    private int list(Args args) {
        args.allowOnly(Set.of("--json"));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ScheduleStore.Entry e : store.list()) {
            rows.add(row(e.schedule(), e.nextTick().map(Instant::toString).orElse(null)));
        }
        out.rows(List.of("name", "queue", "cadence", "priority", "group", "paused", "next"), rows);
        return AdminMain.OK;
    }

    private int set(Args args) {
        args.allowOnly(Set.of("--name", "--queue", "--cron", "--zone", "--every", "--payload", "--priority", "--group", "--json"));
        Duration every = null;
        if (args.option("--every") != null) {
            try {
                every = Settings.parseDuration(args.option("--every"));
            } catch (IllegalArgumentException e) {
                throw new Args.UsageException("--every: " + e.getMessage());
            }
        }
        Schedule schedule = new Schedule(args.required("--name"), args.required("--queue"), args.option("--payload"), args.option("--cron"),
                every, args.option("--zone"), args.option("--priority"), args.option("--group"), false);
        List<String> problems = schedule.problems();
        if (!problems.isEmpty()) {
            throw new Args.UsageException("invalid schedule: " + String.join("; ", problems));
        }
        ScheduleStore.Change change = store.put(schedule);
        return printed(schedule.name(), change.name().toLowerCase());
    }

    private int pause(Args args, boolean paused) {
        args.allowOnly(Set.of("--name", "--json"));
        String name = args.required("--name");
        Schedule schedule = store.get(name).orElseThrow(() -> new Commands.NotFoundException("no schedule '" + name + "'"));
        store.put(schedule.withPaused(paused));
        return printed(name, paused ? "paused" : "resumed");
    }

    private int remove(Args args) {
        args.allowOnly(Set.of("--name", "--json"));
        String name = args.required("--name");
        if (!store.remove(name)) {
            throw new Commands.NotFoundException("no schedule '" + name + "'");
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", name);
        row.put("change", "removed (a tick already enqueued stays enqueued)");
        out.rows(List.of("name", "change"), List.of(row));
        return AdminMain.OK;
    }

    /** Prints the schedule as it now stands, with what was done to it. */
    private int printed(String name, String change) {
        ScheduleStore.Entry entry = store.list().stream().filter(e -> e.schedule().name().equals(name)).findFirst()
                .orElseThrow(() -> new Commands.NotFoundException("schedule '" + name + "' was removed meanwhile"));
        Map<String, Object> row = row(entry.schedule(), entry.nextTick().map(Instant::toString).orElse(null));
        row.put("change", change);
        out.rows(List.of("name", "queue", "cadence", "priority", "group", "paused", "next", "change"), List.of(row));
        return AdminMain.OK;
    }

    private static Map<String, Object> row(Schedule s, String next) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", s.name());
        row.put("queue", s.queue());
        row.put("cadence", s.cadence());
        row.put("priority", s.priority());
        row.put("group", s.group());
        row.put("paused", s.paused());
        row.put("next", next);
        row.put("payload", s.payload());
        return row;
    }
}
