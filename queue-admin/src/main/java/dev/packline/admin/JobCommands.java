package dev.packline.admin;

import dev.packline.queue.JobAction;
import dev.packline.queue.JobActionOutcome;
import dev.packline.queue.JobActionResult;
import dev.packline.queue.JobState;
import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.control.BulkResult;
import dev.packline.queue.control.JobActions;
import dev.packline.queue.control.JobBrowser;
import dev.packline.queue.control.JobFilter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code jobs list|cancel|run-now|requeue|delete} (a queue version's jobs of one state, filtered;
 * the actions in bulk, after showing the count and asking) and {@code job show|cancel|run-now|requeue|delete ID}.
 */
final class JobCommands {
    private static final Set<String> FILTERS = Set.of("--queue", "--version", "--state", "--request", "--error", "--json");
    /** The payload field the pipeline's stage jobs name their request by: what --request searches. */
    static final String REQUEST_FIELD = "requestId";

    private final QueueBroker broker;
    private final QueueInspector inspector;
    private final Output out;
    private final JobBrowser browser;
    private final JobActions actions;
    private final JobTable table;

    JobCommands(QueueBroker broker, QueueInspector inspector, Output out) {
        this.broker = broker;
        this.inspector = inspector;
        this.out = out;
        this.browser = new JobBrowser(broker);
        this.actions = new JobActions(broker);
        this.table = new JobTable(browser, out);
    }

    static boolean isAction(String word) {
        return word != null && action(word).isPresent();
    }

    private static Optional<JobAction> action(String word) {
        return switch (word) {
            case "cancel" -> Optional.of(JobAction.CANCEL);
            case "run-now" -> Optional.of(JobAction.RUN_NOW);
            case "requeue" -> Optional.of(JobAction.REQUEUE);
            case "delete" -> Optional.of(JobAction.DELETE);
            default -> Optional.empty();
        };
    }

    /** {@code jobs SUB}. */
    int jobs(Args args) throws Exception {
        String sub = args.word(1);
        if ("list".equals(sub)) {
            args.allowOnly(union(FILTERS, Set.of("--limit", "--cursor")));
            return table.list(versionOf(args), state(args), filter(args), args.option("--cursor"),
                    args.integer("--limit") == null ? 50 : args.integer("--limit"));
        }
        if (sub != null && isAction(sub)) {
            return bulk(args, action(sub).orElseThrow(), sub);
        }
        throw new Args.UsageException("jobs needs list, cancel, run-now, requeue or delete" + (sub == null ? "" : ", got '" + sub + "'"));
    }

    /** {@code job cancel|run-now|requeue|delete ID}. */
    int one(Args args) {
        args.allowOnly(Set.of("--queue", "--version", "--json"));
        String verb = args.word(1);
        String id = args.word(2);
        if (id == null || args.positional().size() > 3) {
            throw new Args.UsageException("job " + verb + " takes one job id (bulk actions: jobs " + verb + " --state S)");
        }
        JobAction action = action(verb).orElseThrow();
        QueueVersion version = versionHolding(args, id);
        JobActionResult result = actions.act(version, action, List.of(id)).get(0);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("id", id);
        doc.put("queue", version.name());
        doc.put("version", version.version());
        doc.put("action", verb);
        doc.put("outcome", result.outcome().name().toLowerCase());
        doc.put("state", result.state() == null ? null : result.state().displayName());
        if (out.json) {
            out.json(doc);
        } else {
            out.out.println(sentence(result, version));
        }
        return switch (result.outcome()) {
            case NOT_FOUND -> AdminMain.NOT_FOUND;
            case NOT_APPLICABLE -> AdminMain.FAILED;
            default -> AdminMain.OK;
        };
    }

    private static String sentence(JobActionResult r, QueueVersion v) {
        return switch (r.outcome()) {
            case CANCELLED -> "cancelled job " + r.id() + " of " + v;
            case CANCEL_REQUESTED -> "job " + r.id() + " of " + v + " is running: its worker stops it at its next heartbeat and records it as cancelled";
            case MADE_PENDING -> "job " + r.id() + " of " + v + " is pending: the next free worker runs it";
            case DELETED -> "deleted job " + r.id() + " of " + v;
            case NOT_FOUND -> "no job " + r.id() + " in " + v;
            case NOT_APPLICABLE -> "job " + r.id() + " of " + v + " is " + r.state().displayName() + ": "
                    + (r.action() == JobAction.DELETE ? "cancel it first" : "cannot " + r.action().name().toLowerCase().replace('_', '-') + " it");
        };
    }

    /** The version named by --version, else the version of the queue that holds the job (newest first). */
    private QueueVersion versionHolding(Args args, String id) {
        String queue = args.required("--queue");
        if (args.integer("--version") != null) {
            return QueueVersion.of(queue, args.integer("--version"));
        }
        List<QueueVersion> versions = new ArrayList<>(broker.versions(queue));
        java.util.Collections.reverse(versions);
        for (QueueVersion v : versions) {
            if (browser.find(v, id).isPresent()) {
                return v;
            }
        }
        throw new Commands.NotFoundException("no job '" + id + "' in any version of queue '" + queue + "'");
    }

    private int bulk(Args args, JobAction action, String verb) throws Exception {
        args.allowOnly(FILTERS);
        if (args.positional().size() > 2) {
            throw new Args.UsageException("jobs " + verb + " acts on every job of --state that matches the filters; for chosen jobs use: job "
                    + verb + " ID");
        }
        QueueVersion v = versionOf(args);
        JobState state = state(args);
        JobFilter filter = filter(args);
        long count;
        try {
            count = actions.count(v, state, filter, action);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        String what = verb + " " + count + " " + state.displayName() + " jobs of " + v + describe(args);
        if (count == 0) {
            report(v, action, state, 0, null, "nothing to " + verb + ": no " + state.displayName() + " job of " + v + " matches");
            return AdminMain.OK;
        }
        if (!args.flag("--yes")) {
            if (!out.terminal) {
                out.err.println("admin: would " + what + "; not a terminal, so nothing done: pass --yes to go on without asking");
                return AdminMain.FAILED;
            }
            out.err.println(what);
            if (!out.confirm(verb + " them?")) {
                out.err.println("admin: nothing done (not confirmed)");
                return AdminMain.FAILED;
            }
        }
        BulkResult result = actions.bulk(v, state, filter, action);
        report(v, action, state, result.matched(), result, verb + ": " + result.applied() + " of " + result.matched() + " jobs"
                + outcomes(result));
        return AdminMain.OK;
    }

    private void report(QueueVersion v, JobAction action, JobState state, int matched, BulkResult result, String text) {
        if (!out.json) {
            out.out.println(text);
            return;
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("queue", v.name());
        doc.put("version", v.version());
        doc.put("action", action.name().toLowerCase().replace('_', '-'));
        doc.put("state", state.displayName());
        doc.put("matched", matched);
        doc.put("applied", result == null ? 0 : result.applied());
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        if (result != null) {
            result.outcomes().forEach((o, n) -> outcomes.put(o.name().toLowerCase(), n));
        }
        doc.put("outcomes", outcomes);
        out.json(doc);
    }

    private static String outcomes(BulkResult result) {
        List<String> parts = new ArrayList<>();
        for (JobActionOutcome o : JobActionOutcome.values()) {
            if (result.count(o) > 0) {
                parts.add(result.count(o) + " " + o.name().toLowerCase().replace('_', ' '));
            }
        }
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }

    private static String describe(Args args) {
        List<String> parts = new ArrayList<>();
        if (args.option("--request") != null) {
            parts.add("request " + args.option("--request"));
        }
        if (args.option("--error") != null) {
            parts.add("error containing '" + args.option("--error") + "'");
        }
        return parts.isEmpty() ? "" : " with " + String.join(" and ", parts);
    }

    private static JobState state(Args args) {
        try {
            return JobState.parse(args.required("--state"));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
    }

    private static JobFilter filter(Args args) {
        JobFilter filter = JobFilter.ANY;
        if (args.option("--request") != null) {
            filter = filter.and(JobFilter.payloadField(REQUEST_FIELD, args.option("--request")));
        }
        if (args.option("--error") != null) {
            filter = filter.and(JobFilter.errorContains(args.option("--error")));
        }
        return filter;
    }

    private QueueVersion versionOf(Args args) {
        String queue = args.required("--queue");
        Integer version = args.integer("--version");
        if (version != null) {
            return QueueVersion.of(queue, version);
        }
        return inspector.current(queue).orElseThrow(() -> new Commands.NotFoundException("queue '" + queue + "' has no current version"));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }
}
