package dev.packline.console.pages;

import dev.packline.console.audit.ActionAudit;
import dev.packline.console.auth.Permission;
import dev.packline.console.web.ConsoleRefusal;
import dev.packline.console.web.FormFields;
import dev.packline.console.web.Html;
import dev.packline.console.web.Page;
import dev.packline.console.web.Viewer;
import dev.packline.queue.JobRecord;
import dev.packline.queue.JobState;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueInspector.VersionSummary;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.JobAction;
import dev.packline.queue.control.JobActions;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /dead-letters}: the dead letters of every queue version, grouped by version and error (the
 * error's first line), with a bulk requeue or delete per group. A group is named by its version
 * and error, and the action acts on the dead letters that have that error when it runs.
 */
public final class DeadLettersPage {
    /** Dead letters read per version at most. */
    static final int PER_VERSION = 2_000;

    /** One group: a version and an error, with its job ids. */
    record Group(QueueVersion version, String error, List<String> ids) {
    }

    private final QueueInspector inspector;
    private final JobActions jobs;
    private final ActionAudit audit;

    public DeadLettersPage(QueueInspector inspector, JobActions jobs, ActionAudit audit) {
        this.inspector = inspector;
        this.jobs = jobs;
        this.audit = audit;
    }

    public void show(ServerRequest req, ServerResponse res, Viewer viewer) {
        viewer.require(Permission.QUEUES, "see dead letters");
        StringBuilder body = new StringBuilder();
        body.append(Page.note(req));
        List<Group> groups = groups();
        // the actions come first: on a phone the wide table scrolls inside itself and a last column would be out of sight
        body.append("<table id=\"dead-groups\"><thead><tr><th></th><th>Queue version</th><th>Dead letters</th><th>Error</th></tr></thead><tbody>");
        for (Group g : groups) {
            Map<String, String> hidden = Map.of("queue", g.version().label(), "error", g.error());
            body.append("<tr><td class=\"actions\">");
            if (viewer.may(Permission.RETRY_JOBS)) {
                body.append(Page.button("/dead-letters/actions/requeue", viewer, "Requeue all " + g.ids().size(), hidden, null));
            }
            if (viewer.may(Permission.DELETE_JOBS)) {
                body.append(Page.button("/dead-letters/actions/delete", viewer, "Delete all " + g.ids().size(), hidden, "danger"));
            }
            body.append("</td><td><a href=\"").append(QueuePaths.href(g.version())).append("?state=dead\">").append(g.version().label())
                    .append("</a></td><td>").append(g.ids().size()).append("</td><td class=\"error-text\">").append(Html.text(Html.cut(g.error(), 200)));
            body.append("</td></tr>");
        }
        if (groups.isEmpty()) {
            body.append("<tr><td colspan=\"4\">No dead letters.</td></tr>");
        }
        Page.send(res, 200, "Dead letters", viewer, body.append("</tbody></table>").toString());
    }

    public void act(ServerRequest req, ServerResponse res, Viewer viewer, FormFields form) {
        String action = req.path().pathParameters().get("action");
        boolean requeue = action.equals("requeue");
        if (!requeue && !action.equals("delete")) {
            throw ConsoleRefusal.notFound("no dead-letter action '" + action + "'");
        }
        QueueVersion v = QueueVersion.parse(form.required("queue"));
        String error = form.required("error");
        Permission needed = requeue ? Permission.RETRY_JOBS : Permission.DELETE_JOBS;
        if (!viewer.may(needed)) {
            audit.record(viewer.name(), "dead-letters-" + action, v.label(), ActionAudit.Outcome.REFUSED, "role " + viewer.account().role().wireName());
            viewer.require(needed, action + " dead letters");
        }
        List<String> ids = groups().stream().filter(g -> g.version().equals(v) && g.error().equals(error)).findFirst().map(Group::ids).orElse(List.of());
        if (!"yes".equals(form.text(Page.CONFIRM_FIELD))) {
            Page.confirm(res, viewer, "/dead-letters/actions/" + action, (requeue ? "Requeue " : "Delete for good ") + ids.size()
                    + " dead letters of " + v.label() + " that failed with: " + Html.cut(error, 200), form.toResend(), "/dead-letters");
            return;
        }
        long done = jobs.act(v, requeue ? JobAction.REQUEUE : JobAction.DELETE, ids).stream().filter(r -> r.outcome().applied()).count();
        String note = done + " dead letters of " + v.label() + (requeue ? " requeued" : " deleted");
        audit.record(viewer.name(), "dead-letters-" + action, v.label(), ActionAudit.Outcome.DONE, note + " (error: " + Html.cut(error, 120) + ")");
        Page.seeOther(res, "/dead-letters?note=" + Html.url(note));
    }

    private List<Group> groups() {
        List<Group> out = new ArrayList<>();
        for (String queue : inspector.queueNames().stream().sorted().toList()) {
            for (VersionSummary s : inspector.versions(queue)) {
                if (s.counts().dead() == 0) {
                    continue;
                }
                QueueVersion v = s.counts().queue();
                Map<String, List<String>> byError = new LinkedHashMap<>();
                for (String id : inspector.jobIds(v, JobState.DEAD, 0, PER_VERSION)) {
                    inspector.job(v, id).ifPresent(j -> byError.computeIfAbsent(firstLine(j), k -> new ArrayList<>()).add(j.id()));
                }
                byError.forEach((error, ids) -> out.add(new Group(v, error, ids)));
            }
        }
        return out;
    }

    private static String firstLine(JobRecord j) {
        String error = j.lastError() == null ? "(no error recorded)" : j.lastError();
        int end = error.indexOf('\n');
        return end < 0 ? error : error.substring(0, end);
    }
}
