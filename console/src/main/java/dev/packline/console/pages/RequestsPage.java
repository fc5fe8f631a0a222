package dev.packline.console.pages;

import dev.packline.console.audit.ActionAudit;
import dev.packline.console.auth.Permission;
import dev.packline.console.web.ConsoleRefusal;
import dev.packline.console.web.FormFields;
import dev.packline.console.web.Html;
import dev.packline.console.web.Page;
import dev.packline.console.web.Viewer;
import dev.packline.pipeline.RequestStatus;
import dev.packline.pipeline.RequestStore;
import dev.packline.pipeline.Stage;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Clock;
import java.util.Map;

/**
 * {@code /requests/{id}}: a packaging request's progress per stage (the list is {@link RequestListPage}),
 * each channel's result (size, hash, link to the output) or error, its patches, and a cancel button.
 * A publisher sees only its own requests: another publisher's reads as not found.
 */
public final class RequestsPage {
    private final RequestStore requests;
    private final ActionAudit audit;
    private final Clock clock;

    public RequestsPage(RequestStore requests, ActionAudit audit, Clock clock) {
        this.requests = requests;
        this.audit = audit;
        this.clock = clock;
    }

    public void request(ServerRequest req, ServerResponse res, Viewer viewer) {
        viewer.require(Permission.REQUESTS, "see requests");
        RequestStatus s = visible(req.path().pathParameters().get("id"), viewer);
        String id = s.request().id();
        StringBuilder body = new StringBuilder();
        body.append(Page.note(req));
        long now = clock.millis();
        body.append("<table id=\"request\"><tr><th>App</th><td>").append(Html.text(s.request().appId())).append("</td></tr><tr><th>Publisher</th><td>")
                .append(Html.text(s.request().publisher())).append("</td></tr><tr><th>State</th><td id=\"request-state\">").append(Html.text(s.state()))
                .append(s.cancelRequested() && !s.finished() ? " (cancel asked)" : "").append("</td></tr><tr><th>Progress</th><td>")
                .append(s.ended()).append(" of ").append(s.total()).append(" channels ended (").append(s.progressPercent()).append("%), ")
                .append(s.failed()).append(" failed <progress max=\"100\" value=\"").append(s.progressPercent()).append("\"></progress></td></tr>")
                .append("<tr><th>Age</th><td>").append(Html.age(now - s.createdAt())).append("</td></tr></table>");
        body.append("<h2>Stages</h2><table id=\"stages\"><tr><th>Stage</th><th>Done</th><th>Dead</th><th>Cancelled</th></tr>");
        for (Stage stage : Stage.values()) {
            String q = stage.queueName();
            body.append("<tr><td>").append(q).append("</td><td>").append(count(s.counts(), q + ".done")).append("</td><td>")
                    .append(count(s.counts(), q + ".dead")).append("</td><td>").append(count(s.counts(), q + ".cancelled")).append("</td></tr>");
        }
        body.append("</table><h2>Channels</h2><table id=\"channels\"><tr><th>#</th><th>Channel</th><th>Result</th><th>Size</th><th>SHA-256</th></tr>");
        for (Map<String, Object> c : s.channels()) {
            int index = ((Number) c.get("index")).intValue();
            String name = index < s.request().channels().size() ? s.request().channels().get(index).name() : "?";
            Object url = c.get("url");
            Object error = c.get("error");
            body.append("<tr><td>").append(index).append("</td><td>").append(Html.text(name)).append("</td><td class=\"error-text\">")
                    .append(url != null ? "<a href=\"" + Html.text(url) + "\">output</a>" : error != null ? "<span class=\"error\">" + Html.text(error)
                            + "</span>" : Html.text(c.getOrDefault("state", "")))
                    .append("</td><td>").append(Html.text(c.getOrDefault("bytes", ""))).append("</td><td>")
                    .append(Html.text(Html.cut(String.valueOf(c.getOrDefault("sha256", "")), 16))).append("</td></tr>");
        }
        body.append("</table>");
        if (!s.diffs().isEmpty()) {
            body.append("<h2>Patches</h2><table id=\"diffs\"><tr><th>From</th><th>State</th><th>Size</th></tr>");
            s.diffs().forEach(d -> body.append("<tr><td>").append(Html.text(Html.cut(String.valueOf(d.get("oldSha256")), 16))).append("</td><td>")
                    .append(Html.text(d.get("state"))).append("</td><td>").append(Html.text(d.getOrDefault("bytes", ""))).append("</td></tr>"));
            body.append("</table>");
        }
        if (!s.finished() && viewer.may(Permission.CANCEL_REQUESTS)) {
            body.append(Page.button("/requests/" + Html.url(id) + "/cancel", viewer, "Cancel this request", Map.of(), "danger"));
        }
        Page.send(res, 200, "Request " + id, viewer, body.toString());
    }

    public void cancel(ServerRequest req, ServerResponse res, Viewer viewer, FormFields form) {
        viewer.require(Permission.CANCEL_REQUESTS, "cancel requests");
        RequestStatus s = visible(req.path().pathParameters().get("id"), viewer);
        String id = s.request().id();
        if (!"yes".equals(form.text(Page.CONFIRM_FIELD))) {
            Page.confirm(res, viewer, "/requests/" + Html.url(id) + "/cancel", "Cancel request " + id + " of app " + s.request().appId() + "? Its "
                    + (s.total() - s.ended()) + " unfinished channels are not made; what is done stays.", form.toResend(), "/requests/" + Html.url(id));
            return;
        }
        String state = requests.cancel(id).map(c -> switch (c.kind()) {
            case ACCEPTED -> "cancelling (it was " + c.state().wire() + ")";
            case ALREADY_FINISHED -> "already " + c.state().wire();
        }).orElse("gone");
        audit.record(viewer.name(), "cancel-request", "request " + id, ActionAudit.Outcome.DONE, "state " + state);
        Page.seeOther(res, "/requests/" + Html.url(id) + "?note=" + Html.url("cancel asked: the request is " + state));
    }

    private RequestStatus visible(String id, Viewer viewer) {
        return requests.status(id).filter(s -> viewer.account().sees(s.request().publisher()))
                .orElseThrow(() -> ConsoleRefusal.notFound("no request '" + id + "'"));
    }

    private static long count(Map<String, Long> counts, String key) {
        return counts.getOrDefault(key, 0L);
    }
}
