package dev.packline.console.pages;

import dev.packline.console.auth.Permission;
import dev.packline.console.web.Html;
import dev.packline.console.web.Page;
import dev.packline.console.web.Viewer;
import dev.packline.pipeline.RequestIndex;
import dev.packline.pipeline.RequestState;
import dev.packline.pipeline.RequestStore;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@code /requests}: the packaging requests the viewer may see, newest first, 50 to a page, found by
 * app, publisher (admins and on-call engineers; a publisher sees only its own) and state, or opened
 * by id. Read from the pipeline's {@link RequestIndex}; a request that expired since it was listed
 * is dropped from the index as it is met.
 */
public final class RequestListPage {
    static final int PAGE_SIZE = 50;
    /** Index entries one page looks at, however selective its filters: then it offers to read on. */
    static final int BUDGET = 2_000;

    private final RequestIndex index;
    private final RequestStore requests;
    private final Clock clock;

    public RequestListPage(RequestIndex index, RequestStore requests, Clock clock) {
        this.index = index;
        this.requests = requests;
        this.clock = clock;
    }

    public void show(ServerRequest req, ServerResponse res, Viewer viewer) {
        viewer.require(Permission.REQUESTS, "see requests");
        String id = query(req, "id");
        if (id != null) {
            Page.seeOther(res, "/requests/" + Html.url(id));
            return;
        }
        boolean everyPublisher = viewer.account().publisher() == null;
        String app = query(req, "app");
        String publisher = everyPublisher ? query(req, "publisher") : null;
        String stateText = query(req, "state");
        RequestState state = stateText == null ? null : RequestState.fromWire(stateText);
        Map<String, RequestStore.Summary> summaries = new HashMap<>();
        Predicate<RequestIndex.Entry> shown = e -> {
            if (!viewer.account().sees(e.publisher()) || (app != null && !app.equals(e.appId()))
                    || (publisher != null && !publisher.equals(e.publisher()))) {
                return false;
            }
            Optional<RequestStore.Summary> summary = requests.summary(e.id());
            if (summary.isEmpty()) {
                index.forget(e);
                return false;
            }
            summaries.put(e.id(), summary.get());
            return state == null || summary.get().requestState() == state;
        };
        RequestIndex.Page page = index.page(query(req, "cursor"), PAGE_SIZE, BUDGET, shown);

        StringBuilder body = new StringBuilder("<form method=\"get\" action=\"/requests\" class=\"filters\">")
                .append("<label>Request id <input name=\"id\" id=\"request-id\"></label><button type=\"submit\">Show</button></form>")
                .append("<form method=\"get\" action=\"/requests\" class=\"filters\">")
                .append("<label>App <input name=\"app\" id=\"filter-app\" value=\"").append(Html.text(app == null ? "" : app)).append("\"></label>");
        if (everyPublisher) {
            body.append("<label>Publisher <input name=\"publisher\" id=\"filter-publisher\" value=\"")
                    .append(Html.text(publisher == null ? "" : publisher)).append("\"></label>");
        }
        body.append("<label>State <select name=\"state\" id=\"filter-state\"><option value=\"\">any</option>");
        for (RequestState s : RequestState.values()) {
            body.append("<option").append(s == state ? " selected" : "").append(">").append(s.wire()).append("</option>");
        }
        body.append("</select></label><button type=\"submit\" id=\"filter\">Find</button></form>");
        body.append("<table id=\"requests\"><thead><tr><th>Request</th><th>App</th><th>Publisher</th><th>State</th><th>Progress</th>")
                .append("<th>Failed</th><th>Age</th></tr></thead><tbody>");
        long now = clock.millis();
        for (RequestIndex.Entry e : page.entries()) {
            RequestStore.Summary s = summaries.get(e.id());
            body.append("<tr data-request=\"").append(Html.text(e.id())).append("\"><td><a href=\"/requests/").append(Html.url(e.id())).append("\">")
                    .append(Html.text(e.id())).append("</a></td><td>").append(Html.text(e.appId())).append("</td><td>").append(Html.text(e.publisher()))
                    .append("</td><td class=\"state\">").append(Html.text(s.state())).append(s.cancelRequested() && !s.finished() ? " (cancel asked)" : "")
                    .append("</td><td>").append(s.ended()).append(" of ").append(s.total()).append(" <progress max=\"100\" value=\"")
                    .append(s.progressPercent()).append("\"></progress></td><td>").append(s.failed()).append("</td><td>")
                    .append(Html.age(now - s.createdAt())).append("</td></tr>");
        }
        if (page.entries().isEmpty()) {
            body.append("<tr><td colspan=\"7\">No requests").append(app != null || publisher != null || state != null ? " match" : " yet").append(".</td></tr>");
        }
        body.append("</tbody></table>");
        if (page.cut()) {
            body.append("<p class=\"hint\" id=\"cut\">Looked at ").append(BUDGET).append(" requests without filling the page.</p>");
        }
        if (page.nextCursor() != null) {
            body.append("<a id=\"older\" href=\"/requests?").append(filters(app, publisher, state)).append("cursor=")
                    .append(Html.url(page.nextCursor())).append("\">Older</a>");
        }
        Page.send(res, 200, "Requests", viewer, body.toString());
    }

    private static String filters(String app, String publisher, RequestState state) {
        return (app == null ? "" : "app=" + Html.url(app) + "&") + (publisher == null ? "" : "publisher=" + Html.url(publisher) + "&")
                + (state == null ? "" : "state=" + state.wire() + "&");
    }

    /** A query parameter, stripped; null when absent or empty (an empty filter field means any). */
    private static String query(ServerRequest req, String name) {
        return req.query().first(name).map(String::strip).filter(v -> !v.isEmpty()).orElse(null);
    }
}
