package dev.packline.admin;

import dev.packline.queue.JobRecord;
import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueCounts;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.control.JobBrowser;
import dev.packline.settings.Settings;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The admin commands that look and switch: queues, job, pause/resume, versions, recover. Dead
 * letters, drains, groups, jobs (listing and actions) and workers have their own classes. Each command prints a table or, with --json,
 * one JSON document whose shape the tests pin.
 */
final class Commands {
    private final QueueBroker broker;
    private final QueueInspector inspector;
    private final Clock clock;
    private final Output out;
    private final UpgradeCommands upgrades;

    Commands(QueueBroker broker, Clock clock, Output out, UpgradeCommands upgrades) {
        this.broker = broker;
        this.inspector = new QueueInspector(broker, clock);
        this.clock = clock;
        this.out = out;
        this.upgrades = upgrades;
    }

    static final class NotFoundException extends RuntimeException {
        NotFoundException(String message) {
            super(message);
        }
    }

    int dispatch(Args args) throws Exception {
        String command = args.word(0);
        if (UpgradeCommands.handles(args)) {
            return upgrades.run(args);
        }
        return switch (command) {
            case "queues" -> queues(args);
            case "workers" -> new WorkerCommands(broker, clock, out).list(args);
            case "worker" -> new WorkerCommands(broker, clock, out).ask(args);
            case "jobs" -> new JobCommands(broker, inspector, out).jobs(args);
            case "job" -> JobCommands.isAction(args.word(1)) ? new JobCommands(broker, inspector, out).one(args) : job(args);
            case "dead" -> new DeadLetterCommands(broker, inspector, clock, out).run(args);
            case "pause", "resume" -> pauseOrResume(args, command.equals("pause"));
            case "version" -> version(args);
            case "drain" -> new DrainCommands(broker, inspector, clock, out).drain(args);
            case "obliterate" -> new DrainCommands(broker, inspector, clock, out).obliterate(args);
            case "recover" -> recover(args);
            case "group" -> new GroupCommands(broker, inspector, out).run(args);
            case "init" -> new InitCommands(broker, clock, out).init(args);
            default -> throw new Args.UsageException("unknown command '" + command + "'");
        };
    }

    private static final List<String> QUEUE_COLUMNS = Stream.concat(Stream.of("queue", "version", "state", "current", "paused", "pending",
            "active", "retry", "delayed", "dead", "oldestPendingSeconds", "workers", "perMinute5m"), UpgradeCommands.COLUMNS.stream()).toList();

    private int queues(Args args) throws InterruptedException {
        if (args.flag("--watch")) {
            args.allowOnly(Set.of("--json", "--interval", "--count"));
            return new QueueWatch(this::queueRows, QUEUE_COLUMNS, out, clock).run(args);
        }
        args.allowOnly(Set.of("--json"));
        out.rows(QUEUE_COLUMNS, queueRows());
        return AdminMain.OK;
    }

    private List<Map<String, Object>> queueRows() {
        List<Map<String, Object>> rows = new ArrayList<>();
        long now = clock.millis();
        var schedule = upgrades.schedule();
        for (String name : inspector.queueNames()) {
            for (QueueInspector.VersionSummary v : inspector.versions(name)) {
                QueueCounts c = v.counts();
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("queue", name);
                row.put("version", c.queue().version());
                row.put("state", c.state().wireName());
                row.put("current", v.current());
                row.put("paused", c.paused());
                row.put("pending", c.pending());
                row.put("active", c.active());
                row.put("retry", c.retry());
                row.put("delayed", c.delayed());
                row.put("dead", c.dead());
                row.put("oldestPendingSeconds", c.oldestPendingSinceMillis() < 0 ? 0 : (now - c.oldestPendingSinceMillis()) / 1000);
                row.put("workers", c.liveWorkers());
                row.put("perMinute5m", Math.round(c.completedPerMinute(now, 5) * 10) / 10.0);
                row.putAll(upgrades.columns(c.queue(), schedule));
                rows.add(row);
            }
        }
        return rows;
    }

    private int job(Args args) throws Exception {
        args.allowOnly(Set.of("--queue", "--version", "--json"));
        String id = "show".equals(args.word(1)) ? args.word(2) : args.word(1);
        if (id == null) {
            throw new Args.UsageException("job needs a job id");
        }
        List<QueueVersion> candidates = versionsNamed(args, broker, inspector);
        for (QueueVersion v : candidates) {
            Optional<JobRecord> record = inspector.job(v, id);
            if (record.isPresent()) {
                Map<String, Object> doc = describe(record.get());
                if (out.json) {
                    out.json(doc);
                } else {
                    new JobTable(new JobBrowser(broker), out).print(doc, record.get());
                }
                return AdminMain.OK;
            }
        }
        throw new NotFoundException("no job '" + id + "' in " + (candidates.isEmpty() ? "any queue" : candidates));
    }

    static Map<String, Object> describe(JobRecord record) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("id", record.id());
        doc.put("queue", record.queue().name());
        doc.put("version", record.queue().version());
        doc.put("state", record.state().wireName());
        doc.put("attempts", record.attempts());
        doc.put("maxAttempts", record.record().get("maxAttempts"));
        doc.put("worker", record.record().get("worker"));
        // records without a level are plain jobs: normal priority, default group
        doc.put("priority", record.record().getOrDefault("level", "normal"));
        Object group = record.record().get("group");
        doc.put("group", group == null || "".equals(group) ? "(default)" : group);
        doc.put("progress", record.progress().map(p -> Math.round(p.fraction() * 1000) / 10.0 + "% " + p.message()
                + " (" + Instant.ofEpochMilli(p.atMillis()) + ")").orElse(null));
        doc.put("lastError", record.lastError());
        doc.put("createdAt", time(record.record().get("createdAt")));
        doc.put("startedAt", time(record.record().get("startedAt")));
        doc.put("finishedAt", time(record.record().get("finishedAt")));
        doc.put("deadAt", time(record.record().get("deadAt")));
        doc.put("deadReason", record.record().get("deadReason"));
        doc.put("cancelledAt", time(record.record().get("cancelledAt")));
        doc.put("errors", record.record().getOrDefault("errors", List.of()));
        doc.put("payload", Secrets.mask(record.payload()));
        return doc;
    }

    private static String time(Object millis) {
        return millis instanceof Number n ? Instant.ofEpochMilli(n.longValue()).toString() : null;
    }

    private int pauseOrResume(Args args, boolean pause) {
        args.allowOnly(Set.of("--queue", "--version", "--json"));
        QueueVersion v = versionOf(args);
        if (pause) {
            inspector.pause(v);
        } else {
            inspector.resume(v);
        }
        report(Map.of("queue", v.name(), "version", v.version(), "paused", pause), (pause ? "paused " : "resumed ") + v);
        return AdminMain.OK;
    }

    private int version(Args args) {
        args.allowOnly(Set.of("--queue", "--version", "--json"));
        String sub = args.word(1);
        String queue = args.required("--queue");
        if ("new".equals(sub)) {
            QueueVersion v = inspector.newVersion(queue);
            report(Map.of("queue", queue, "version", v.version(), "current", inspector.current(queue).map(v::equals).orElse(false)),
                    "created " + v + (inspector.current(queue).map(v::equals).orElse(false) ? " (current)" : "; make it current with: version set-current --queue " + queue + " --version " + v.version()));
            return AdminMain.OK;
        }
        if ("set-current".equals(sub)) {
            Integer version = args.integer("--version");
            if (version == null) {
                throw new Args.UsageException("version set-current needs --version");
            }
            QueueVersion v = QueueVersion.of(queue, version);
            inspector.setCurrent(v);
            report(Map.of("queue", queue, "version", version, "current", true), v + " is now current: producers enqueue there");
            return AdminMain.OK;
        }
        throw new Args.UsageException("version needs 'new' or 'set-current'");
    }

    private int recover(Args args) {
        args.allowOnly(Set.of("--queue", "--grace", "--json"));
        Duration grace = args.option("--grace") == null ? Duration.ofSeconds(30) : Settings.parseDuration(args.option("--grace"));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String name : args.option("--queue") != null ? List.of(args.option("--queue")) : inspector.queueNames()) {
            for (QueueVersion v : broker.versions(name)) {
                QueueBroker.Recovery r = inspector.recover(v, grace);
                rows.add(new LinkedHashMap<>(Map.of("queue", name, "version", v.version(), "returned", r.returned(), "deadLettered", r.deadLettered())));
            }
        }
        out.rows(List.of("queue", "version", "returned", "deadLettered"), rows);
        return AdminMain.OK;
    }

    /** The versions a command looks in: --queue (else every queue), --version (else every version). */
    static List<QueueVersion> versionsNamed(Args args, QueueBroker broker, QueueInspector inspector) {
        List<QueueVersion> versions = new ArrayList<>();
        for (String name : args.option("--queue") != null ? List.of(args.option("--queue")) : inspector.queueNames()) {
            if (args.integer("--version") != null) {
                versions.add(QueueVersion.of(name, args.integer("--version")));
            } else {
                versions.addAll(broker.versions(name));
            }
        }
        return versions;
    }

    /** The version named by --version, or the queue's current one. */
    QueueVersion versionOf(Args args) {
        String queue = args.required("--queue");
        Integer version = args.integer("--version");
        if (version != null) {
            return QueueVersion.of(queue, version);
        }
        return inspector.current(queue).orElseThrow(() -> new NotFoundException("queue '" + queue + "' has no current version"));
    }

    private void report(Map<String, Object> doc, String text) {
        if (out.json) {
            out.json(doc);
        } else {
            out.out.println(text);
        }
    }
}
