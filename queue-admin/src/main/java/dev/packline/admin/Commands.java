package dev.packline.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.queue.JobRecord;
import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueCounts;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
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

/**
 * The admin commands that look and switch: queues, workers, job, pause/resume, versions, recover.
 * Dead letters and drains have their own classes. Each command prints a table or, with --json,
 * one JSON document whose shape the tests pin.
 */
final class Commands {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final QueueBroker broker;
    private final QueueInspector inspector;
    private final Clock clock;
    private final Output out;

    Commands(QueueBroker broker, Clock clock, Output out) {
        this.broker = broker;
        this.inspector = new QueueInspector(broker, clock);
        this.clock = clock;
        this.out = out;
    }

    static final class NotFoundException extends RuntimeException {
        NotFoundException(String message) {
            super(message);
        }
    }

    int dispatch(Args args) throws Exception {
        String command = args.word(0);
        return switch (command) {
            case "queues" -> queues(args);
            case "workers" -> workers(args);
            case "job" -> job(args);
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

    private int queues(Args args) {
        args.allowOnly(Set.of("--json"));
        List<Map<String, Object>> rows = new ArrayList<>();
        long now = clock.millis();
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
                rows.add(row);
            }
        }
        out.rows(List.of("queue", "version", "state", "current", "paused", "pending", "active", "retry", "delayed", "dead",
                "oldestPendingSeconds", "workers", "perMinute5m"), rows);
        return AdminMain.OK;
    }

    private int workers(Args args) throws Exception {
        args.allowOnly(Set.of("--json"));
        long now = clock.millis();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String info : broker.workerInfos()) {
            JsonNode w = JSON.readTree(info);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", w.path("id").asText());
            row.put("host", w.path("host").asText());
            row.put("pid", w.path("pid").asLong());
            List<String> queues = new ArrayList<>();
            w.path("queues").forEach(q -> queues.add(q.asText()));
            row.put("queues", out.json ? queues : String.join(",", queues));
            row.put("jobsDone", Math.max(0, w.path("jobsStarted").asLong() - w.path("inFlight").asLong()));
            row.put("held", w.path("inFlight").asLong());
            row.put("lastHeartbeatSecondsAgo", Math.max(0, (now - w.path("heartbeatAt").asLong(now)) / 1000));
            row.put("uptimeSeconds", Math.max(0, (now - w.path("startedAt").asLong(now)) / 1000));
            row.put("recycles", w.path("generation").asText("0"));
            rows.add(row);
        }
        out.rows(List.of("id", "host", "pid", "queues", "jobsDone", "held", "lastHeartbeatSecondsAgo", "uptimeSeconds", "recycles"), rows);
        return AdminMain.OK;
    }

    private int job(Args args) throws Exception {
        args.allowOnly(Set.of("--queue", "--version", "--json"));
        String id = args.word(1);
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
                    doc.forEach((k, value) -> out.out.println(k + ": " + value));
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
