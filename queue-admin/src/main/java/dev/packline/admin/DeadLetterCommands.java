package dev.packline.admin;

import dev.packline.queue.JobRecord;
import dev.packline.queue.JobState;
import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** {@code dead list|show|requeue|delete}: look at dead letters, filtered, and act on them (asking first for --all). */
final class DeadLetterCommands {
    private static final Set<String> FILTERS = Set.of("--queue", "--version", "--error", "--since", "--until", "--request", "--limit", "--json");
    private static final int PAGE = 500;

    private final QueueBroker broker;
    private final QueueInspector inspector;
    private final Output out;

    DeadLetterCommands(QueueBroker broker, QueueInspector inspector, Clock clock, Output out) {
        this.broker = broker;
        this.inspector = inspector;
        this.out = out;
    }

    int run(Args args) throws Exception {
        String sub = args.word(1);
        if (sub == null) {
            throw new Args.UsageException("dead needs list, show, requeue or delete");
        }
        args.allowOnly(FILTERS);
        return switch (sub) {
            case "list" -> list(args);
            case "show" -> show(args);
            case "requeue" -> act(args, true);
            case "delete" -> act(args, false);
            default -> throw new Args.UsageException("dead needs list, show, requeue or delete, got '" + sub + "'");
        };
    }

    private int list(Args args) {
        int limit = args.integer("--limit") == null ? 100 : args.integer("--limit");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JobRecord r : matching(args, limit)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", r.id());
            row.put("queue", r.queue().name());
            row.put("version", r.queue().version());
            row.put("deadAt", r.record().get("deadAt") instanceof Number n ? Instant.ofEpochMilli(n.longValue()).toString() : null);
            row.put("attempts", r.attempts());
            row.put("reason", r.record().get("deadReason"));
            row.put("error", r.lastError());
            rows.add(row);
        }
        out.rows(List.of("id", "queue", "version", "deadAt", "attempts", "reason", "error"), rows);
        return AdminMain.OK;
    }

    private int show(Args args) {
        String id = args.word(2);
        if (id == null) {
            throw new Args.UsageException("dead show needs a job id");
        }
        for (QueueVersion v : versions(args)) {
            var record = inspector.job(v, id).filter(r -> r.state() == JobState.DEAD);
            if (record.isPresent()) {
                Map<String, Object> doc = Commands.describe(record.get());
                if (out.json) {
                    out.json(doc);
                } else {
                    new JobTable(new dev.packline.queue.control.JobBrowser(broker), out).print(doc, record.get());
                }
                return AdminMain.OK;
            }
        }
        throw new Commands.NotFoundException("no dead letter '" + id + "'");
    }

    private int act(Args args, boolean requeue) throws Exception {
        String verb = requeue ? "requeue" : "delete";
        List<String> ids = args.positional().subList(2, args.positional().size());
        if (ids.isEmpty() == !args.flag("--all")) {
            throw new Args.UsageException("dead " + verb + " takes job ids, or --all with filters, not both");
        }
        args.required("--queue");
        Map<QueueVersion, List<String>> targets = new LinkedHashMap<>();
        if (args.flag("--all")) {
            for (JobRecord r : matching(args, Integer.MAX_VALUE)) {
                targets.computeIfAbsent(r.queue(), q -> new ArrayList<>()).add(r.id());
            }
            int total = targets.values().stream().mapToInt(List::size).sum();
            if (total > 0 && !args.flag("--yes") && !out.confirm(verb + " " + total + " dead letters of " + targets.keySet() + "?")) {
                out.err.println("admin: nothing done (not confirmed; pass --yes in scripts)");
                return AdminMain.FAILED;
            }
        } else {
            for (QueueVersion v : versions(args)) {
                List<String> here = ids.stream().filter(id -> inspector.job(v, id).map(r -> r.state() == JobState.DEAD).orElse(false)).toList();
                if (!here.isEmpty()) {
                    targets.put(v, here);
                }
            }
        }
        int done = 0;
        for (Map.Entry<QueueVersion, List<String>> e : targets.entrySet()) {
            done += requeue ? inspector.requeueDead(e.getKey(), e.getValue()) : inspector.deleteDead(e.getKey(), e.getValue());
        }
        if (out.json) {
            out.json(Map.of(requeue ? "requeued" : "deleted", done));
        } else {
            out.out.println((requeue ? "requeued " : "deleted ") + done + " dead letters");
        }
        return !args.flag("--all") && done < ids.size() ? AdminMain.NOT_FOUND : AdminMain.OK;
    }

    private List<QueueVersion> versions(Args args) {
        return Commands.versionsNamed(args, broker, inspector);
    }

    /** Dead letters newest first, filtered by error text, time range and request id. */
    private List<JobRecord> matching(Args args, int limit) {
        Predicate<JobRecord> filter = r -> true;
        if (args.option("--error") != null) {
            String text = args.option("--error");
            filter = filter.and(r -> r.lastError() != null && r.lastError().contains(text));
        }
        if (args.option("--since") != null) {
            long since = instant(args, "--since");
            filter = filter.and(r -> r.record().get("deadAt") instanceof Number n && n.longValue() >= since);
        }
        if (args.option("--until") != null) {
            long until = instant(args, "--until");
            filter = filter.and(r -> r.record().get("deadAt") instanceof Number n && n.longValue() <= until);
        }
        if (args.option("--request") != null) {
            String needle = "\"requestId\":\"" + args.option("--request") + "\"";
            filter = filter.and(r -> r.payload() != null && r.payload().replace(" ", "").contains(needle));
        }
        List<JobRecord> result = new ArrayList<>();
        for (QueueVersion v : versions(args)) {
            for (int offset = 0; result.size() < limit; offset += PAGE) {
                List<String> ids = inspector.jobIds(v, JobState.DEAD, offset, PAGE);
                for (String id : ids) {
                    inspector.job(v, id).filter(filter).ifPresent(result::add);
                    if (result.size() >= limit) {
                        break;
                    }
                }
                if (ids.size() < PAGE) {
                    break;
                }
            }
        }
        return result;
    }

    private static long instant(Args args, String option) {
        try {
            return Instant.parse(args.option(option)).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new Args.UsageException(option + " needs an ISO-8601 time such as 2026-11-21T10:00:00Z, got '" + args.option(option) + "'");
        }
    }
}
