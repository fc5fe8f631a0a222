package dev.packline.admin;

import dev.packline.settings.Settings;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code queues --watch}: the queues table again every second (or {@code --interval}) until Ctrl-C,
 * redrawn in place on a terminal; elsewhere (a pipe, a log) one table or, with --json, one JSON
 * line per refresh. {@code --count N} stops after N refreshes, for scripts.
 */
final class QueueWatch {
    /** Moves the cursor home and clears the screen (ANSI), so the table redraws in place. */
    private static final String CLEAR = "\033[H\033[2J";

    private final Supplier<List<Map<String, Object>>> rows;
    private final List<String> columns;
    private final Output out;
    private final Clock clock;

    QueueWatch(Supplier<List<Map<String, Object>>> rows, List<String> columns, Output out, Clock clock) {
        this.rows = rows;
        this.columns = columns;
        this.out = out;
        this.clock = clock;
    }

    int run(Args args) throws InterruptedException {
        Duration interval = args.option("--interval") == null ? Duration.ofSeconds(1) : Settings.parseDuration(args.option("--interval"));
        if (interval.compareTo(Duration.ofMillis(100)) < 0) {
            throw new Args.UsageException("--interval must be at least 100ms, got " + args.option("--interval"));
        }
        Integer count = args.integer("--count");
        if (count != null && count < 1) {
            throw new Args.UsageException("--count must be at least 1, got " + count);
        }
        for (int shown = 0; count == null || shown < count; shown++) {
            if (shown > 0) {
                Thread.sleep(interval);
            }
            List<Map<String, Object>> table = rows.get();
            if (out.json) {
                out.json(table); // one line per refresh
            } else {
                if (out.terminal) {
                    out.out.print(CLEAR);
                }
                out.out.println("queues at " + Instant.ofEpochMilli(clock.millis()) + ", every " + interval.toMillis() + " ms"
                        + (count == null ? " (Ctrl-C to stop)" : ""));
                out.rows(columns, table);
                if (!out.terminal) {
                    out.out.println();
                }
            }
            out.out.flush();
        }
        return AdminMain.OK;
    }
}
