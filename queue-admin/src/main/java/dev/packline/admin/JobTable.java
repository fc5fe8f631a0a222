package dev.packline.admin;

import dev.packline.queue.JobError;
import dev.packline.queue.JobRecord;
import dev.packline.queue.JobState;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.control.JobBrowser;
import dev.packline.queue.control.JobFilter;
import dev.packline.queue.control.JobPage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How jobs look in the admin CLI: {@code jobs list} (a page of one state, with the columns that
 * state has, and the cursor of the next page) and one job in full ({@code job ID}: its fields, its
 * error history as a table, its payload with secrets masked).
 */
final class JobTable {
    private final JobBrowser browser;
    private final Output out;

    JobTable(JobBrowser browser, Output out) {
        this.browser = browser;
        this.out = out;
    }

    int list(QueueVersion v, JobState state, JobFilter filter, String cursor, int limit) {
        JobPage page;
        try {
            page = browser.list(v, state, filter, cursor, limit);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JobRecord r : page.jobs()) {
            rows.add(row(r, state));
        }
        String next = page.nextCursor().orElse(null);
        if (out.json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("queue", v.name());
            doc.put("version", v.version());
            doc.put("state", state.displayName());
            doc.put("jobs", rows);
            doc.put("nextCursor", next);
            out.json(doc);
            return AdminMain.OK;
        }
        out.rows(columns(state), rows);
        if (next != null) {
            out.out.println("more: add --cursor " + next);
        }
        return AdminMain.OK;
    }

    private static List<String> columns(JobState state) {
        return switch (state) {
            case PENDING -> List.of("id", "priority", "group", "attempts", "waitingSince", "payload");
            case DELAYED, RETRY -> List.of("id", "priority", "group", "attempts", "dueAt", "lastError");
            case ACTIVE -> List.of("id", "worker", "attempts", "startedAt", "progress", "payload");
            case DEAD -> List.of("id", "attempts", "deadAt", "reason", "lastError");
            case DONE, CANCELLED -> List.of("id", "attempts", "finishedAt", "lastError");
        };
    }

    /** One job's row: every column of its state; attempts as "1/5" for people, numbers (attempts, maxAttempts) in JSON. */
    private Map<String, Object> row(JobRecord r, JobState state) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", r.id());
        row.put("state", r.state().displayName());
        row.put("priority", r.record().getOrDefault("level", "normal"));
        Object group = r.record().get("group");
        row.put("group", group == null || "".equals(group) ? "(default)" : group);
        row.put("attempts", out.json ? r.attempts() : r.attempts() + "/" + r.record().get("maxAttempts"));
        row.put("maxAttempts", r.record().get("maxAttempts"));
        row.put("waitingSince", time(r.record().get("availableAt")));
        row.put("dueAt", time(r.record().get("availableAt")));
        row.put("worker", r.record().get("worker"));
        row.put("startedAt", time(r.record().get("startedAt")));
        row.put("progress", r.progress().map(p -> Math.round(p.fraction() * 1000) / 10.0 + "% " + p.message()).orElse(null));
        row.put("deadAt", time(r.record().get("deadAt")));
        row.put("reason", r.record().get("deadReason"));
        row.put("finishedAt", time(r.record().get("finishedAt")));
        row.put("lastError", r.lastError());
        row.put("payload", r.payload() == null ? null : Secrets.mask(r.payload()));
        Set<String> shown = new java.util.HashSet<>(columns(state));
        shown.add("state");
        if (out.json) {
            shown.add("maxAttempts");
        }
        row.keySet().retainAll(shown);
        return row;
    }

    /** A job for people: its fields, its error history as a table, then its payload. */
    void print(Map<String, Object> doc, JobRecord record) {
        doc.forEach((key, value) -> {
            if (!key.equals("errors") && !key.equals("payload")) {
                out.out.println(key + ": " + (value == null ? "-" : value));
            }
        });
        List<JobError> history = record.errorHistory();
        out.out.println();
        out.out.println("error history (" + history.size() + (history.size() == 10 ? ", the last 10" : "") + "):");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JobError e : history) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("attempt", e.attempt());
            row.put("at", e.atMillis() > 0 ? Instant.ofEpochMilli(e.atMillis()).toString() : null);
            row.put("worker", e.worker().isEmpty() ? null : e.worker());
            row.put("error", e.error());
            rows.add(row);
        }
        out.rows(List.of("attempt", "at", "worker", "error"), rows);
        out.out.println();
        out.out.println("payload: " + doc.get("payload"));
    }

    private static String time(Object millis) {
        return millis instanceof Number n && n.longValue() > 0 ? Instant.ofEpochMilli(n.longValue()).toString() : null;
    }

}
