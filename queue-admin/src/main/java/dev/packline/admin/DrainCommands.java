package dev.packline.admin;

import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueCounts;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.settings.Settings;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code drain} (with a live progress bar, or a migration to another version) and {@code obliterate}. */
final class DrainCommands {
    private final QueueBroker broker;
    private final QueueInspector inspector;
    private final Output out;

    DrainCommands(QueueBroker broker, QueueInspector inspector, Clock clock, Output out) {
        this.broker = broker;
        this.inspector = inspector;
        this.out = out;
    }

    int drain(Args args) throws Exception {
        args.allowOnly(Set.of("--queue", "--version", "--timeout", "--migrate-to", "--json"));
        QueueVersion v = QueueVersion.of(args.required("--queue"), requiredVersion(args));
        Duration timeout = args.option("--timeout") == null ? Duration.ofMinutes(10) : Settings.parseDuration(args.option("--timeout"));
        inspector.markDraining(v);
        int migrated = 0;
        if (args.option("--migrate-to") != null) {
            QueueVersion target = QueueVersion.of(v.name(), Integer.parseInt(args.option("--migrate-to")));
            for (int moved; (moved = broker.migrate(v, target, 500)) > 0; ) {
                migrated += moved;
                out.line("moved " + migrated + " jobs to " + target);
            }
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("queue", v.name());
        doc.put("version", v.version());
        doc.put("migrated", migrated);
        if (!args.flag("--wait")) {
            QueueCounts c = inspector.counts(v);
            doc.put("state", c.state().wireName());
            doc.put("left", c.unfinished());
            report(doc, v + " is draining: it accepts no new jobs; " + c.unfinished() + " left (pending " + c.pending() + ", active "
                    + c.active() + ", retry " + c.retry() + ", delayed " + c.delayed() + "). Add --wait to retire it when empty.");
            return AdminMain.OK;
        }
        long initial = Math.max(1, inspector.counts(v).unfinished());
        QueueCounts end = inspector.drain(v, timeout, Duration.ofMillis(500), c -> progress(v, c, initial));
        if (out.terminal && !out.json) {
            out.out.println();
        }
        doc.put("state", end.state().wireName());
        doc.put("left", end.unfinished());
        doc.put("dead", end.dead());
        report(doc, v + " drained and retired; its workers stop. Dead letters kept: " + end.dead()
                + ". Remove it with: obliterate --queue " + v.name() + " --version " + v.version());
        return AdminMain.OK;
    }

    private void progress(QueueVersion v, QueueCounts c, long initial) {
        if (out.json) {
            return;
        }
        long left = c.unfinished();
        int width = 30;
        int filled = (int) Math.min(width, Math.max(0, (initial - left) * width / initial));
        String bar = "[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + left + " left (pending " + c.pending() + ", active "
                + c.active() + ", retry " + c.retry() + ", delayed " + c.delayed() + ") " + v;
        if (out.terminal) {
            out.out.print("\r" + bar);
            out.out.flush();
        } else {
            out.out.println(bar);
        }
    }

    int obliterate(Args args) throws Exception {
        args.allowOnly(Set.of("--queue", "--version", "--json"));
        QueueVersion v = QueueVersion.of(args.required("--queue"), requiredVersion(args));
        boolean force = args.flag("--force");
        QueueCounts c = inspector.counts(v);
        if (!args.flag("--yes") && !out.confirm("obliterate " + v + " (" + c.state().wireName() + ", " + c.unfinished() + " unfinished, "
                + c.dead() + " dead letters)? Every key of the version is deleted.")) {
            out.err.println("admin: nothing done (not confirmed; pass --yes in scripts)");
            return AdminMain.FAILED;
        }
        long deleted = inspector.obliterate(v, force);
        report(Map.of("queue", v.name(), "version", v.version(), "keysDeleted", deleted), "obliterated " + v + " (" + deleted + " keys)");
        return AdminMain.OK;
    }

    private static int requiredVersion(Args args) {
        Integer version = args.integer("--version");
        if (version == null) {
            throw new Args.UsageException("--version is required");
        }
        return version;
    }

    private void report(Map<String, Object> doc, String text) {
        if (out.json) {
            out.json(doc);
        } else {
            out.out.println(text);
        }
    }
}
