package dev.packline.console.pages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.packline.console.audit.ActionAudit;
import dev.packline.console.auth.Permission;
import dev.packline.console.web.ConsoleRefusal;
import dev.packline.console.web.FormFields;
import dev.packline.console.web.Html;
import dev.packline.console.web.Page;
import dev.packline.console.web.Viewer;
import dev.packline.http.input.InputRefusedException;
import dev.packline.pipeline.RequestStatus;
import dev.packline.pipeline.RequestStore;
import dev.packline.releases.ActionRequest;
import dev.packline.releases.App;
import dev.packline.releases.LabelType;
import dev.packline.releases.Names;
import dev.packline.releases.NewRelease;
import dev.packline.releases.Release;
import dev.packline.releases.ReleaseAction;
import dev.packline.releases.ReleaseFromRequest;
import dev.packline.releases.redis.RedisReleaseStore;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.List;
import java.util.Set;

/**
 * The release actions ({@code POST /releases/{app}/{id}/actions/{action}}, the producer API's action
 * names) and creating a release from a finished request ({@code POST /releases/{app}}), through the
 * releases library like the producer API: the same state machine, the catalogue's own audit list
 * (the actor is {@code console:<account>}), plus the console's audit log. Starting, going full,
 * rolling back and disabling a label ask for a confirmation that says who will be offered what.
 */
public final class ReleaseActions {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> CONFIRMED = Set.of("start", "full", "rollback", "disable-label");

    private final RedisReleaseStore store;
    private final RequestStore requests;
    private final ActionAudit audit;

    public ReleaseActions(RedisReleaseStore store, RequestStore requests, ActionAudit audit) {
        this.store = store;
        this.requests = requests;
        this.audit = audit;
    }

    public void act(ServerRequest req, ServerResponse res, Viewer viewer, FormFields form) {
        Release r = ReleasePaths.release(req, store, viewer);
        String action = req.path().pathParameters().get("action");
        String target = "release " + r.app() + "/" + r.id();
        if (!viewer.may(Permission.MANAGE_RELEASES)) {
            audit.record(viewer.name(), "release-" + action, target, ActionAudit.Outcome.REFUSED, "role " + viewer.account().role().wireName());
            viewer.require(Permission.MANAGE_RELEASES, "change releases");
        }
        if (!ActionRequest.NAMES.contains(action)) {
            throw ConsoleRefusal.notFound("no release action '" + action + "'");
        }
        if (CONFIRMED.contains(action) && !"yes".equals(form.text(Page.CONFIRM_FIELD))) {
            Page.confirm(res, viewer, ReleasePaths.href(r) + "/actions/" + action, confirmation(r, action, form), form.toResend(), ReleasePaths.href(r));
            return;
        }
        ReleaseAction change = toAction(action, form);
        Release after = store.change(r.app(), r.id(), change, "console:" + viewer.name());
        String note = "release #" + r.id() + ": " + action + " done, now " + Names.of(after.state());
        audit.record(viewer.name(), "release-" + action, target, ActionAudit.Outcome.DONE, note);
        Page.seeOther(res, ReleasePaths.href(r) + "?note=" + Html.url(note));
    }

    private static String confirmation(Release r, String action, FormFields form) {
        String what = r.app() + " " + r.version() + " (release #" + r.id() + ", " + r.deployment() + ")";
        return switch (action) {
            case "start" -> "Start offering " + what + " to its " + r.rollout().whitelist().size() + " whitelisted clients and "
                    + dev.packline.releases.AuditText.percent(r.rollout().basisPoints()) + " of the clients of "
                    + (r.rollout().brands().isEmpty() ? "every brand" : "brands " + String.join(", ", r.rollout().brands())) + "?";
            case "full" -> "Offer " + what + " to every client of " + r.deployment() + " running " + r.clientVersions().text()
                    + "? This publishes it to everyone.";
            case "disable-label" -> "Disable label '" + form.name("key") + "' of " + what + "? Clients stop receiving it at their next check;"
                    + " a disabled label is kept in the release's history and is never enabled again (add a new label with the same key instead).";
            default -> "Roll back " + what + " for good? Its clients are offered the previous release; a rolled-back release cannot be offered again.";
        };
    }

    private static ReleaseAction toAction(String action, FormFields form) {
        List<String> values = action.equals("set-whitelist") || action.equals("set-brands") ? form.lines("values") : null;
        String key = action.endsWith("-label") ? form.name("key") : null;
        String type = action.equals("add-label") ? form.required("type") : null;
        JsonNode value = action.equals("add-label") ? labelValue(type, form.required("value")) : null;
        try {
            return new ActionRequest(action, form.text("percentage"), values, key, type, value).toAction();
        } catch (IllegalArgumentException e) {
            throw InputRefusedException.invalid(action.equals("set-percentage") ? "percentage" : "action", e.getMessage());
        }
    }

    /** A label's value as typed in a form: text for a string label, JSON for the others. */
    private static JsonNode labelValue(String type, String text) {
        LabelType t;
        try {
            t = Names.parse(LabelType.class, type);
        } catch (IllegalArgumentException e) {
            throw InputRefusedException.invalid("type", e.getMessage());
        }
        if (t == LabelType.STRING) {
            return TextNode.valueOf(text);
        }
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw InputRefusedException.invalid("value", "a " + Names.of(t) + " label's value is written as JSON (42, true, {\"a\":1}), got '"
                    + Html.cut(text, 40) + "'");
        }
    }

    /** {@code POST /releases/{app}}: a draft APK release from a finished packaging request of the app. */
    public void create(ServerRequest req, ServerResponse res, Viewer viewer, FormFields form) {
        App app = ReleasePaths.app(req, store, viewer);
        if (!viewer.may(Permission.MANAGE_RELEASES)) {
            audit.record(viewer.name(), "release-create", "app " + app.id(), ActionAudit.Outcome.REFUSED, "role " + viewer.account().role().wireName());
            viewer.require(Permission.MANAGE_RELEASES, "create releases");
        }
        String requestId = form.name("fromRequest");
        RequestStatus status = requests.status(requestId).filter(s -> viewer.account().sees(s.request().publisher()))
                .orElseThrow(() -> InputRefusedException.invalid("fromRequest", "no request '" + requestId + "'"));
        if (!status.request().appId().equals(app.id())) {
            throw InputRefusedException.invalid("fromRequest", "request " + requestId + " packaged app '" + status.request().appId() + "', not '"
                    + app.id() + "'");
        }
        NewRelease draft = ReleaseFromRequest.of(status, new ReleaseFromRequest.Spec(form.name("deployment"), form.name("platform"),
                form.name("version"), form.required("clientVersions"), "true".equals(form.text("mandatory")), form.text("notes"), List.of()));
        Release made = store.create(draft, "console:" + viewer.name());
        audit.record(viewer.name(), "release-create", "release " + app.id() + "/" + made.id(), ActionAudit.Outcome.DONE,
                "draft " + made.version() + " from request " + requestId);
        Page.seeOther(res, ReleasePaths.href(made) + "?note=" + Html.url("draft release #" + made.id() + " created from request " + requestId));
    }
}
