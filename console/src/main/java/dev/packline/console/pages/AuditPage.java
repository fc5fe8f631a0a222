package dev.packline.console.pages;

import dev.packline.console.audit.ActionAudit;
import dev.packline.console.auth.Permission;
import dev.packline.console.web.Html;
import dev.packline.console.web.Page;
import dev.packline.console.web.Viewer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code /audit}: the console's audit log, newest first: who did what to what, and how it ended. */
public final class AuditPage {
    private final ActionAudit audit;

    public AuditPage(ActionAudit audit) {
        this.audit = audit;
    }

    public void show(ServerRequest req, ServerResponse res, Viewer viewer) {
        viewer.require(Permission.AUDIT, "read the audit log");
        StringBuilder rows = new StringBuilder();
        for (ActionAudit.Entry e : audit.newest(200)) {
            rows.append("<tr><td>").append(Html.time(e.at())).append("</td><td>").append(Html.text(e.account())).append("</td><td>")
                    .append(Html.text(e.action())).append("</td><td>").append(Html.text(e.target())).append("</td><td>")
                    .append(e.outcome().name().toLowerCase(java.util.Locale.ROOT)).append("</td><td class=\"error-text\">")
                    .append(Html.text(e.detail())).append("</td></tr>");
        }
        Page.send(res, 200, "Audit log", viewer, "<table id=\"audit\"><thead><tr><th>When</th><th>Account</th><th>Action</th><th>Target</th>"
                + "<th>Outcome</th><th>Detail</th></tr></thead><tbody>" + rows + "</tbody></table>");
    }
}
