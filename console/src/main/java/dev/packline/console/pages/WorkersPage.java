package dev.packline.console.pages;

import dev.packline.console.audit.ActionAudit;
import dev.packline.console.auth.Permission;
import dev.packline.console.web.ConsoleRefusal;
import dev.packline.console.web.FormFields;
import dev.packline.console.web.Html;
import dev.packline.console.web.Page;
import dev.packline.console.web.Viewer;
import dev.packline.queue.WorkerCommand;
import dev.packline.queue.control.WorkerDirectory;
import dev.packline.queue.control.WorkerInfo;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * {@code /workers}: every live worker as it last described itself (host, pid, the versions it
 * serves, jobs done and running, jobs left before it recycles, last heartbeat, uptime), with
 * buttons asking one to recycle or stop ({@code POST /workers/{id}/{recycle|stop}}); the worker
 * acts on it at its next heartbeat.
 */
public final class WorkersPage {
    private final WorkerDirectory directory;
    private final ActionAudit audit;
    private final Clock clock;

    public WorkersPage(WorkerDirectory directory, ActionAudit audit, Clock clock) {
        this.directory = directory;
        this.audit = audit;
        this.clock = clock;
    }

    public void show(ServerRequest req, ServerResponse res, Viewer viewer) {
        viewer.require(Permission.QUEUES, "see the workers");
        long now = clock.millis();
        StringBuilder body = new StringBuilder();
        body.append(Page.note(req));
        List<WorkerInfo> live = directory.live();
        // the actions come first: on a phone the wide table scrolls inside itself and a last column would be out of sight
        body.append("<table id=\"workers\"><thead><tr><th></th><th>Worker</th><th>Host</th><th>Pid</th><th>Versions served</th><th>Jobs done</th>")
                .append("<th>Running</th><th>Left before recycle</th><th>Last heartbeat</th><th>Uptime</th></tr></thead><tbody>");
        for (WorkerInfo w : live) {
            String base = "/workers/" + Html.url(w.id()) + "/";
            body.append("<tr data-worker=\"").append(Html.text(w.id())).append("\"><td class=\"actions\">");
            if (viewer.may(Permission.WORKER_CONTROL)) {
                body.append(Page.button(base + "recycle", viewer, "Recycle", Map.of(), null)).append(Page.button(base + "stop", viewer, "Stop", Map.of(), "danger"));
            }
            body.append("</td><td>").append(Html.text(w.id())).append("</td><td>")
                    .append(Html.text(w.host())).append("</td><td>").append(w.pid()).append("</td><td>").append(Html.text(String.join(", ", w.versions())))
                    .append("</td><td>").append(w.jobsDone()).append("</td><td>").append(w.running()).append("</td><td>")
                    .append(w.jobsLeftBeforeRecycle().isPresent() ? Long.toString(w.jobsLeftBeforeRecycle().getAsLong()) : "no limit").append("</td><td>")
                    .append(Html.age(now - w.lastHeartbeatMillis())).append(" ago</td><td>").append(Html.age(now - w.startedAtMillis()));
            body.append("</td></tr>");
        }
        if (live.isEmpty()) {
            body.append("<tr><td colspan=\"10\">No live worker.</td></tr>");
        }
        Page.send(res, 200, "Workers (" + live.size() + ")", viewer, body.append("</tbody></table>").toString());
    }

    public void ask(ServerRequest req, ServerResponse res, Viewer viewer, FormFields form) {
        String id = req.path().pathParameters().get("id");
        WorkerCommand command;
        try {
            command = WorkerCommand.parse(req.path().pathParameters().get("command"));
        } catch (IllegalArgumentException e) {
            throw ConsoleRefusal.notFound(e.getMessage());
        }
        if (!viewer.may(Permission.WORKER_CONTROL)) {
            audit.record(viewer.name(), "worker-" + command.wireName(), "worker " + id, ActionAudit.Outcome.REFUSED, "role " + viewer.account().role().wireName());
            viewer.require(Permission.WORKER_CONTROL, "control workers");
        }
        if (!"yes".equals(form.text(Page.CONFIRM_FIELD))) {
            Page.confirm(res, viewer, "/workers/" + Html.url(id) + "/" + command.wireName(), command == WorkerCommand.RECYCLE
                    ? "Recycle worker " + id + "? It finishes the jobs it holds and exits; its supervisor starts a fresh one."
                    : "Stop worker " + id + "? It finishes the jobs it holds and exits for good; nothing replaces it.", form.toResend(), "/workers");
            return;
        }
        WorkerDirectory.AskOutcome outcome = directory.ask(id, command);
        if (outcome == WorkerDirectory.AskOutcome.NO_SUCH_WORKER) {
            audit.record(viewer.name(), "worker-" + command.wireName(), "worker " + id, ActionAudit.Outcome.FAILED, "no such live worker");
            throw ConsoleRefusal.notFound("no live worker '" + id + "' (it stopped, or its information expired)");
        }
        String note = "worker " + id + " asked to " + command.wireName() + " at its next heartbeat";
        audit.record(viewer.name(), "worker-" + command.wireName(), "worker " + id, ActionAudit.Outcome.DONE, note);
        Page.seeOther(res, "/workers?note=" + Html.url(note));
    }
}
