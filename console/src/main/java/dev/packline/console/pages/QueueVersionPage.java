package dev.packline.console.pages;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.console.auth.Permission;
import dev.packline.console.live.LiveStream;
import dev.packline.console.web.ConsoleRefusal;
import dev.packline.console.web.Html;
import dev.packline.console.web.Page;
import dev.packline.console.web.Viewer;
import dev.packline.queue.JobRecord;
import dev.packline.queue.JobState;
import dev.packline.queue.QueueCounts;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.JobAction;
import dev.packline.queue.control.JobActions;
import dev.packline.queue.control.JobBrowser;
import dev.packline.queue.control.JobFilter;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code /queues/{queue}/{version}}: one version's live counts (drain progress included), its jobs
 * by state with paging and search by job id or request id, the actions the viewer's role allows;
 * and {@code .../jobs/{id}}: one job's payload, attempts and error history.
 */
public final class QueueVersionPage {
    static final int PAGE_SIZE = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final QueueInspector inspector;
    private final JobBrowser browser;
    private final LiveStream live;
    private final Clock clock;

    public QueueVersionPage(QueueInspector inspector, JobBrowser browser, LiveStream live, Clock clock) {
        this.inspector = inspector;
        this.browser = browser;
        this.live = live;
        this.clock = clock;
    }

    public void show(ServerRequest req, ServerResponse res, Viewer viewer) {
        viewer.require(Permission.QUEUES, "see the queues");
        QueueVersion v = QueuePaths.version(req, inspector);
        JobState state = JobState.parse(req.query().first("state").orElse("pending"));
        int page = Math.max(0, Integer.parseInt(req.query().first("page").orElse("0")));
        String search = req.query().first("q").map(String::strip).orElse("");
        String href = QueuePaths.href(v);
        StringBuilder body = new StringBuilder();
        body.append(Page.note(req));
        body.append(LiveStream.container("counts", "/live" + href, "counts", counts(v)));
        body.append(versionActions(v, viewer));
        body.append("<h2>Jobs</h2><p class=\"states\">");
        for (JobState s : JobState.values()) {
            body.append("<a id=\"state-").append(s.wireName()).append("\" href=\"").append(href).append("?state=").append(s.wireName()).append("\">")
                    .append(s == state ? "<strong>" + s.wireName() + "</strong>" : s.wireName()).append("</a> ");
        }
        body.append("</p><form method=\"get\" action=\"").append(href).append("\">").append(Page.hidden("state", state.wireName()))
                .append("<label>Job id or request id <input name=\"q\" id=\"search\" value=\"").append(Html.text(search)).append("\"></label>")
                .append("<button type=\"submit\">Search</button></form>");
        List<JobRecord> jobs = search.isEmpty() ? page(v, state, page) : search(v, state, search);
        body.append(jobTable(v, state, jobs, viewer, search));
        if (search.isEmpty()) {
            if (page > 0) {
                body.append("<a href=\"").append(href).append("?state=").append(state.wireName()).append("&page=").append(page - 1).append("\">Newer</a> ");
            }
            if (jobs.size() == PAGE_SIZE) {
                body.append("<a id=\"next-page\" href=\"").append(href).append("?state=").append(state.wireName()).append("&page=").append(page + 1)
                        .append("\">More</a>");
            }
        }
        Page.send(res, 200, "Queue " + v.label(), viewer, body.toString());
    }

    public void stream(ServerRequest req, ServerResponse res, Viewer viewer) {
        viewer.require(Permission.QUEUES, "see the queues");
        QueueVersion v = QueuePaths.version(req, inspector);
        live.stream(res, "counts", () -> counts(v));
    }

    private List<JobRecord> page(QueueVersion v, JobState state, int page) {
        List<JobRecord> out = new ArrayList<>();
        for (String id : inspector.jobIds(v, state, page * PAGE_SIZE, PAGE_SIZE)) {
            inspector.job(v, id).ifPresent(out::add);
        }
        return out;
    }

    /** The job of that id, or the first page of jobs of the state whose payload's {@code requestId} is the text (the pipeline's jobs). */
    private List<JobRecord> search(QueueVersion v, JobState state, String text) {
        var exact = browser.find(v, text);
        if (exact.isPresent()) {
            return List.of(exact.get());
        }
        return browser.list(v, state, JobFilter.payloadField("requestId", text), null, PAGE_SIZE).jobs();
    }

    String counts(QueueVersion v) {
        QueueCounts c = inspector.counts(v);
        boolean current = inspector.current(v.name()).map(v::equals).orElse(false);
        long now = clock.millis();
        StringBuilder html = new StringBuilder("<table class=\"counts\"><tr><th>State</th><th>Pending</th><th>Delayed</th><th>Retry</th>")
                .append("<th>Active</th><th>Dead</th><th>Done</th><th>Oldest pending</th><th>Live workers</th></tr><tr>")
                .append("<td id=\"version-state\">").append(c.state().wireName()).append(c.paused() ? ", paused" : "").append(current ? ", current" : "")
                .append("</td><td id=\"count-pending\">").append(c.pending()).append("</td><td id=\"count-delayed\">").append(c.delayed())
                .append("</td><td id=\"count-retry\">").append(c.retry()).append("</td><td id=\"count-active\">").append(c.active())
                .append("</td><td id=\"count-dead\">").append(c.dead()).append("</td><td id=\"count-done\">").append(c.done())
                .append("</td><td>").append(c.oldestPendingSinceMillis() < 0 ? "" : Html.age(now - c.oldestPendingSinceMillis()))
                .append("</td><td>").append(c.liveWorkers()).append("</td></tr></table>");
        if (c.state() != dev.packline.queue.VersionState.ACTIVE) {
            html.append("<p id=\"drain-progress\">").append(c.state() == dev.packline.queue.VersionState.DRAINING
                    ? "Draining: " + c.unfinished() + " jobs left to finish (pending " + c.pending() + ", active " + c.active() + ", retry " + c.retry()
                    + ", delayed " + c.delayed() + ")" : "Retired: the drain finished; no job runs here any more").append("</p>");
        }
        return html.toString();
    }

    private String versionActions(QueueVersion v, Viewer viewer) {
        String base = QueuePaths.href(v) + "/actions/";
        StringBuilder html = new StringBuilder("<p class=\"actions\">");
        if (viewer.may(Permission.PAUSE_QUEUES)) {
            html.append(Page.button(base + "pause", viewer, "Pause", Map.of(), null)).append(Page.button(base + "resume", viewer, "Resume", Map.of(), null));
        }
        if (viewer.may(Permission.CHANGE_VERSIONS)) {
            html.append(Page.button(base + "set-current", viewer, "Make current", Map.of(), null))
                    .append(Page.button(base + "drain", viewer, "Drain", Map.of(), "danger"))
                    .append(Page.button("/queues/" + v.name() + "/versions", viewer, "Create a new version of " + v.name(), Map.of(), null));
        }
        if (viewer.may(Permission.OBLITERATE)) {
            html.append(Page.button(base + "obliterate", viewer, "Obliterate", Map.of(), "danger"));
        }
        return html.append("</p>").toString();
    }

    /** The actions on chosen jobs a state allows and the viewer may take: button label, action path, permission, destructive. */
    private record JobButton(JobAction action, String path, String label, Permission permission, boolean danger) {
    }

    private static final List<JobButton> JOB_BUTTONS = List.of(
            new JobButton(JobAction.REQUEUE, "requeue", "Requeue selected", Permission.RETRY_JOBS, false),
            new JobButton(JobAction.RUN_NOW, "run-now", "Run selected now", Permission.RETRY_JOBS, false),
            new JobButton(JobAction.CANCEL, "cancel", "Cancel selected", Permission.DELETE_JOBS, true),
            new JobButton(JobAction.DELETE, "delete", "Delete selected", Permission.DELETE_JOBS, true));

    private static List<JobButton> buttons(JobState state, Viewer viewer) {
        return JOB_BUTTONS.stream().filter(b -> JobActions.applies(b.action(), state) && viewer.may(b.permission())).toList();
    }

    private String jobTable(QueueVersion v, JobState state, List<JobRecord> jobs, Viewer viewer, String search) {
        List<JobButton> buttons = buttons(state, viewer);
        boolean selectable = !buttons.isEmpty() && !jobs.isEmpty();
        String base = QueuePaths.href(v) + "/actions/";
        StringBuilder rows = new StringBuilder();
        for (JobRecord j : jobs) {
            rows.append("<tr data-job=\"").append(Html.text(j.id())).append("\">");
            if (selectable) {
                rows.append("<td><input type=\"checkbox\" name=\"id\" value=\"").append(Html.text(j.id())).append("\"></td>");
            }
            rows.append("<td><a href=\"").append(QueuePaths.href(v)).append("/jobs/").append(Html.url(j.id())).append("\">").append(Html.text(j.id()))
                    .append("</a></td><td>").append(j.state().wireName()).append("</td><td>").append(j.attempts()).append("</td><td class=\"error-text\">")
                    .append(Html.text(Html.cut(j.lastError(), 160))).append("</td><td>").append(Html.text(Html.cut(j.payload(), 80))).append("</td></tr>");
        }
        String table = "<table id=\"jobs\"><thead><tr>" + (selectable ? "<th></th>" : "")
                + "<th>Job</th><th>State</th><th>Attempts</th><th>Last error</th><th>Payload</th></tr></thead><tbody>" + rows
                + (jobs.isEmpty() ? "<tr><td colspan=\"6\">No " + state.wireName() + " jobs" + (search.isEmpty() ? "" : " match") + ".</td></tr>" : "")
                + "</tbody></table>";
        if (!selectable) {
            return table;
        }
        StringBuilder html = new StringBuilder();
        StringBuilder row = new StringBuilder();
        for (JobButton b : buttons) {
            row.append("<button type=\"submit\"").append(b.danger() ? " class=\"danger\"" : "").append(" formaction=\"").append(base).append(b.path())
                    .append("\" id=\"").append(b.path()).append("-selected\">").append(b.label()).append("</button> ");
        }
        html.append(Page.form(base + buttons.getFirst().path(), viewer, table + row, null));
        if (state != JobState.DEAD) {
            return html.toString();
        }
        html.append("<h3>Every dead letter matching a filter</h3>");
        StringBuilder bulk = new StringBuilder("<label>Error contains (empty: every one) <input name=\"match\" id=\"match\"></label>");
        if (viewer.may(Permission.RETRY_JOBS)) {
            bulk.append("<button type=\"submit\" formaction=\"").append(base).append("requeue-matching\" id=\"requeue-matching\">Requeue all matching</button> ");
        }
        if (viewer.may(Permission.DELETE_JOBS)) {
            bulk.append("<button type=\"submit\" class=\"danger\" formaction=\"").append(base).append("delete-matching\">Delete all matching</button>");
        }
        return html.append(Page.form(base + "requeue-matching", viewer, bulk.toString(), null)).toString();
    }

    public void job(ServerRequest req, ServerResponse res, Viewer viewer) throws Exception {
        viewer.require(Permission.QUEUES, "see the queues");
        QueueVersion v = QueuePaths.version(req, inspector);
        String id = req.path().pathParameters().get("id");
        JobRecord j = inspector.job(v, id).orElseThrow(() -> ConsoleRefusal.notFound("no job '" + id + "' in " + v.label()));
        StringBuilder body = new StringBuilder("<p><a href=\"").append(QueuePaths.href(v)).append("?state=").append(j.state().wireName())
                .append("\">Back to ").append(v.label()).append("</a></p><table id=\"job\"><tr><th>State</th><td id=\"job-state\">")
                .append(j.state().wireName()).append("</td></tr><tr><th>Attempts</th><td>").append(j.attempts()).append("</td></tr>");
        for (Map.Entry<String, Object> e : j.record().entrySet()) {
            if (!e.getKey().equals("errors") && !e.getKey().equals("state") && !e.getKey().equals("attempts")) {
                Object value = e.getValue();
                String shown = e.getKey().endsWith("At") && value instanceof Number n ? Html.time(n.longValue()) : String.valueOf(value);
                body.append("<tr><th>").append(Html.text(e.getKey())).append("</th><td class=\"error-text\">").append(Html.text(shown)).append("</td></tr>");
            }
        }
        body.append("</table><h2>Error history</h2>");
        List<dev.packline.queue.JobError> errors = j.errorHistory();
        if (!errors.isEmpty()) {
            body.append("<table id=\"errors\"><thead><tr><th>Attempt</th><th>At</th><th>Worker</th><th>Error</th></tr></thead><tbody>");
            for (dev.packline.queue.JobError e : errors) {
                body.append("<tr><td>").append(e.attempt()).append("</td><td>").append(Html.time(e.atMillis()))
                        .append("</td><td>").append(Html.text(e.worker())).append("</td><td class=\"error-text\">").append(Html.text(e.error()))
                        .append("</td></tr>");
            }
            body.append("</tbody></table>");
        } else {
            body.append("<p>").append(j.lastError() == null ? "No errors." : Html.text(j.lastError())).append("</p>");
        }
        body.append("<h2>Payload</h2><pre id=\"payload\">").append(Html.text(pretty(j.payload()))).append("</pre>");
        List<JobButton> buttons = buttons(j.state(), viewer);
        if (!buttons.isEmpty()) {
            String base = QueuePaths.href(v) + "/actions/";
            body.append("<p class=\"actions\">");
            for (JobButton b : buttons) {
                body.append(Page.button(base + b.path(), viewer, b.label().replace(" selected", ""), Map.of("id", j.id()), b.danger() ? "danger" : null));
            }
            body.append("</p>");
        }
        Page.send(res, 200, "Job " + id, viewer, body.toString());
    }

    private static String pretty(String payload) {
        if (payload == null) {
            return "(gone: a finished job keeps no payload)";
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(payload));
        } catch (java.io.IOException e) {
            return payload;
        }
    }
}
