package dev.packline.console.pages;

import dev.packline.console.auth.Permission;
import dev.packline.console.web.Html;
import dev.packline.console.web.Page;
import dev.packline.console.web.Viewer;
import dev.packline.releases.App;
import dev.packline.releases.AuditEntry;
import dev.packline.releases.AuditText;
import dev.packline.releases.InstallEvent;
import dev.packline.releases.Label;
import dev.packline.releases.LabelType;
import dev.packline.releases.Names;
import dev.packline.releases.Release;
import dev.packline.releases.ReleaseState;
import dev.packline.releases.redis.InstallReports;
import dev.packline.releases.redis.InstallReports.Tally;
import dev.packline.releases.redis.RedisReleaseStore;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.List;
import java.util.Map;

/**
 * {@code /releases}: the apps the viewer may see (a publisher: its own), each with its releases per
 * deployment and a form to create a release from a finished packaging request; {@code
 * /releases/{app}/{id}}: one release with its rollout editors (whitelist, brands, percentage), state
 * actions, labels, audit trail and install reports as a bar chart. Actions are in {@link ReleaseActions}.
 */
public final class ReleasesPage {
    private final RedisReleaseStore store;
    private final InstallReports reports;

    public ReleasesPage(RedisReleaseStore store, InstallReports reports) {
        this.store = store;
        this.reports = reports;
    }

    public void list(ServerRequest req, ServerResponse res, Viewer viewer) {
        viewer.require(Permission.RELEASES, "see releases");
        StringBuilder body = new StringBuilder();
        body.append(Page.note(req));
        List<App> apps = store.apps().stream().filter(a -> viewer.account().sees(a.owner())).toList();
        if (apps.isEmpty()) {
            body.append("<p id=\"no-apps\">No apps").append(viewer.account().publisher() == null ? "" : " of " + Html.text(viewer.account().publisher()))
                    .append(" yet (apps are created through the producer API, POST /v1/apps).</p>");
        }
        for (App app : apps) {
            body.append("<section class=\"app\" id=\"app-").append(Html.text(app.id())).append("\"><h2>").append(Html.text(app.id()))
                    .append(" <small>owner ").append(Html.text(app.owner())).append(", deployments ")
                    .append(Html.text(String.join(", ", app.deployments().stream().map(d -> d.name()).toList()))).append("</small></h2>")
                    .append("<table class=\"releases\"><thead><tr><th>Release</th><th>Deployment</th><th>Platform</th><th>Kind</th><th>Version</th>")
                    .append("<th>Client versions</th><th>State</th><th>Gray</th><th>Whitelist</th><th>Brands</th><th>Updated</th></tr></thead><tbody>");
            List<Release> releases = store.releases(app.id());
            for (Release r : releases) {
                body.append("<tr data-release=\"").append(r.id()).append("\"><td><a href=\"").append(ReleasePaths.href(r)).append("\">#").append(r.id())
                        .append("</a></td><td>").append(Html.text(r.deployment())).append("</td><td>").append(Html.text(r.platform())).append("</td><td>")
                        .append(Names.of(r.kind())).append("</td><td>").append(Html.text(r.version())).append("</td><td>")
                        .append(Html.text(r.clientVersions().text())).append("</td><td>").append(Names.of(r.state())).append("</td><td>")
                        .append(AuditText.percent(r.rollout().basisPoints())).append("</td><td>").append(r.rollout().whitelist().size())
                        .append("</td><td>").append(Html.text(r.rollout().brands().isEmpty() ? "all" : String.join(", ", r.rollout().brands())))
                        .append("</td><td>").append(Html.time(r.updatedAt())).append("</td></tr>");
            }
            if (releases.isEmpty()) {
                body.append("<tr><td colspan=\"11\">No releases yet.</td></tr>");
            }
            body.append("</tbody></table>");
            if (viewer.may(Permission.MANAGE_RELEASES)) {
                body.append("<details><summary>Create a release from a finished packaging request</summary>").append(Page.form("/releases/"
                        + Html.url(app.id()), viewer, "<label>Request id <input name=\"fromRequest\" required></label>"
                        + "<label>Deployment <select name=\"deployment\">" + String.join("", app.deployments().stream()
                        .map(d -> "<option>" + Html.text(d.name()) + "</option>").toList()) + "</select></label>"
                        + "<label>Platform <input name=\"platform\" value=\"android\" required></label>"
                        + "<label>Version <input name=\"version\" required></label>"
                        + "<label>Client versions <input name=\"clientVersions\" value=\"*\" required></label>"
                        + "<label><input type=\"checkbox\" name=\"mandatory\" value=\"true\"> mandatory</label>"
                        + "<label>Notes <input name=\"notes\"></label><button type=\"submit\">Create draft</button>", null)).append("</details>");
            }
            body.append("</section>");
        }
        Page.send(res, 200, "Releases", viewer, body.toString());
    }

    public void release(ServerRequest req, ServerResponse res, Viewer viewer) {
        viewer.require(Permission.RELEASES, "see releases");
        Release r = ReleasePaths.release(req, store, viewer);
        String base = ReleasePaths.href(r) + "/actions/";
        boolean manage = viewer.may(Permission.MANAGE_RELEASES);
        StringBuilder body = new StringBuilder("<p><a href=\"/releases\">All releases</a></p>");
        body.append(Page.note(req));
        body.append("<table id=\"release\"><tr><th>App</th><td>").append(Html.text(r.app())).append("</td></tr><tr><th>Deployment</th><td>")
                .append(Html.text(r.deployment())).append("</td></tr><tr><th>Version</th><td>").append(Html.text(r.version())).append(" (")
                .append(Names.of(r.kind())).append(", ").append(Html.text(r.platform())).append(", clients ").append(Html.text(r.clientVersions().text()))
                .append(")</td></tr><tr><th>State</th><td id=\"release-state\">").append(Names.of(r.state())).append("</td></tr><tr><th>Gray</th><td id=\"gray\">")
                .append(AuditText.percent(r.rollout().basisPoints())).append(" of brands ")
                .append(Html.text(r.rollout().brands().isEmpty() ? "all" : String.join(", ", r.rollout().brands()))).append("</td></tr>")
                .append("<tr><th>Whitelist</th><td id=\"whitelist-size\">").append(r.rollout().whitelist().size()).append(" client ids</td></tr>")
                .append("<tr><th>Channels</th><td>").append(r.artifacts().size()).append(" files, ").append(r.patches().size()).append(" patches</td></tr>")
                .append("<tr><th>Source</th><td>").append(Html.text(r.source() == null ? "" : r.source())).append("</td></tr>")
                .append("<tr><th>Created</th><td>").append(Html.time(r.createdAt())).append(" by ").append(Html.text(r.createdBy())).append("</td></tr></table>");
        if (manage) {
            body.append("<h2>Publish</h2><p class=\"actions\">");
            if (r.state() == ReleaseState.DRAFT) {
                body.append(Page.button(base + "start", viewer, "Start the gray rollout", Map.of(), null));
            }
            if (r.state() == ReleaseState.ROLLING_OUT) {
                body.append(Page.button(base + "pause", viewer, "Pause", Map.of(), null));
            }
            if (r.state() == ReleaseState.PAUSED) {
                body.append(Page.button(base + "resume", viewer, "Resume", Map.of(), null));
            }
            if (r.state() == ReleaseState.DRAFT || r.state() == ReleaseState.ROLLING_OUT || r.state() == ReleaseState.PAUSED) {
                body.append(Page.button(base + "full", viewer, "Go full", Map.of(), "danger"));
            }
            if (r.state() != ReleaseState.ROLLED_BACK) {
                body.append(Page.button(base + "rollback", viewer, "Roll back", Map.of(), "danger"));
            }
            body.append("</p>");
            if (r.state() != ReleaseState.FULL && r.state() != ReleaseState.ROLLED_BACK) {
                body.append("<h2>Rollout</h2>").append(Page.form(base + "set-whitelist", viewer, "<label>Whitelist (client ids, one a line)<br><textarea name=\"values\" "
                        + "id=\"whitelist\" rows=\"4\" cols=\"40\">" + Html.text(String.join("\n", r.rollout().whitelist())) + "</textarea></label>"
                        + "<button type=\"submit\" id=\"save-whitelist\">Save whitelist</button>", null))
                        .append(Page.form(base + "set-brands", viewer, "<label>Brands (one a line; none = every brand)<br><textarea name=\"values\" id=\"brands\" "
                                + "rows=\"2\" cols=\"40\">" + Html.text(String.join("\n", r.rollout().brands())) + "</textarea></label>"
                                + "<button type=\"submit\" id=\"save-brands\">Save brands</button>", null))
                        .append(Page.form(base + "set-percentage", viewer, "<label>Gray percentage <input name=\"percentage\" id=\"percentage\" value=\""
                                + Html.text(AuditText.percent(r.rollout().basisPoints()).replace("%", "")) + "\" size=\"6\"></label>"
                                + "<button type=\"submit\" id=\"save-percentage\">Set percentage</button>", null));
            }
        }
        body.append(labels(r, base, viewer, manage)).append(reportsChart(r)).append(auditTrail(r));
        Page.send(res, 200, "Release #" + r.id() + " of " + r.app(), viewer, body.toString());
    }

    private static String labels(Release r, String base, Viewer viewer, boolean manage) {
        StringBuilder html = new StringBuilder("<h2>Labels</h2><table id=\"labels\"><tr><th></th><th>Key</th><th>Type</th><th>Value</th><th>Enabled</th><th>Changed</th></tr>");
        for (Label l : r.labels()) {
            // the button comes first: on a phone the wide table scrolls inside itself and a last column would be out of sight
            html.append("<tr><td class=\"actions\">");
            if (manage && l.enabled() && r.state() != ReleaseState.ROLLED_BACK) {
                html.append(Page.button(base + "disable-label", viewer, "Disable", Map.of("key", l.key()), null));
            }
            html.append("</td><td>").append(Html.text(l.key())).append("</td><td>").append(Names.of(l.type())).append("</td><td>").append(Html.text(l.value()))
                    .append("</td><td>").append(l.enabled() ? "yes" : "no").append("</td><td>").append(Html.time(l.changedAt())).append(" by ")
                    .append(Html.text(l.changedBy()));
            html.append("</td></tr>");
        }
        html.append("</table>");
        if (manage && r.state() != ReleaseState.ROLLED_BACK) {
            StringBuilder types = new StringBuilder();
            for (LabelType t : LabelType.values()) {
                types.append("<option>").append(Names.of(t)).append("</option>");
            }
            html.append(Page.form(base + "add-label", viewer, "<label>Key <input name=\"key\" required></label><label>Type <select name=\"type\">" + types
                    + "</select></label><label>Value <input name=\"value\" required></label><button type=\"submit\">Add label</button>", null));
        }
        return html.toString();
    }

    private String reportsChart(Release r) {
        Map<InstallEvent, Tally> tallies = reports.tallies(r.id());
        long max = Math.max(1, tallies.values().stream().mapToLong(Tally::reports).max().orElse(1));
        StringBuilder html = new StringBuilder("<h2>Install reports</h2><table class=\"chart\" id=\"reports\"><tr><th>Event</th><th>Reports</th><th>Clients</th><th></th></tr>");
        tallies.forEach((event, t) -> html.append("<tr><td>").append(Names.of(event)).append("</td><td>").append(t.reports()).append("</td><td>")
                .append(t.clients()).append("</td><td><meter min=\"0\" max=\"").append(max).append("\" value=\"").append(t.reports())
                .append("\"></meter></td></tr>"));
        html.append("</table>");
        Map<String, Long> reasons = reports.failureReasons(r.id());
        if (!reasons.isEmpty()) {
            html.append("<table id=\"failure-reasons\"><tr><th>Failure reason</th><th>Reports</th></tr>");
            reasons.forEach((reason, n) -> html.append("<tr><td>").append(Html.text(reason)).append("</td><td>").append(n).append("</td></tr>"));
            html.append("</table>");
        }
        return html.toString();
    }

    private String auditTrail(Release r) {
        StringBuilder html = new StringBuilder("<h2>Audit trail</h2><table id=\"release-audit\"><tr><th>When</th><th>Who</th><th>Action</th><th>What</th></tr>");
        for (AuditEntry e : store.audit(r.app(), 500)) {
            if (Long.toString(r.id()).equals(e.release())) {
                html.append("<tr><td>").append(Html.time(e.at())).append("</td><td>").append(Html.text(e.actor())).append("</td><td>")
                        .append(Html.text(e.action())).append("</td><td class=\"error-text\">").append(Html.text(e.detail())).append("</td></tr>");
            }
        }
        return html.append("</table>").toString();
    }
}
