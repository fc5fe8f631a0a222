package dev.packline.api.releases;

import dev.packline.http.input.AsciiParsers;
import dev.packline.http.input.RequestBody;
import dev.packline.api.auth.Authenticator;
import dev.packline.api.auth.Publishers.Caller;
import dev.packline.api.http.ApiError;
import dev.packline.api.http.Json;
import dev.packline.api.http.Reason;
import dev.packline.pipeline.RequestStatus;
import dev.packline.pipeline.artifact.ArtifactStore;
import dev.packline.releases.ReleaseFromArtifact;
import dev.packline.pipeline.RequestStore;
import dev.packline.releases.ActionRequest;
import dev.packline.releases.App;
import dev.packline.releases.NewRelease;
import dev.packline.releases.ReleaseException;
import dev.packline.releases.ReleaseFromRequest;
import dev.packline.releases.ReleaseKind;
import dev.packline.releases.ReleaseView;
import dev.packline.releases.redis.InstallReports;
import dev.packline.releases.redis.RedisReleaseStore;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The publishers' release routes: apps and deployments, releases made from finished packaging
 * requests (or bundles given by URL), rollout actions, the audit list. Same bearer tokens and
 * tenancy as the job routes: a publisher sees and manages only its own apps (and an app-limited
 * token only those apps); anything else answers 404, like an app that does not exist.
 */
public final class ReleasesApi {
    private static final Set<String> RELEASE_FIELDS = Set.of("deployment", "platform", "kind", "version", "clientVersions", "fromRequest",
            "fromArtifact", "artifacts", "mandatory", "notes", "labels");

    /** The parts the routes need. */
    public record Params(RedisReleaseStore store, InstallReports reports, RequestStore requests, ArtifactStore artifacts, Authenticator auth,
                         long maxBodyBytes) {
    }

    private final Params p;

    public ReleasesApi(Params params) {
        this.p = params;
    }

    /** {@code POST /v1/apps}: {"appId", "deployments": [...]}; 201 with the deployment keys. */
    public void createApp(ServerRequest req, ServerResponse res) throws Exception {
        Caller caller = p.auth().caller(req);
        ReleaseBodies.Body b = ReleaseBodies.decode(RequestBody.read(req, p.maxBodyBytes()), Set.of("appId", "deployments"));
        String appId = b.text("appId", true);
        List<String> deployments = b.texts("deployments", true);
        b.finish();
        if (!caller.mayUse(appId)) {
            throw ApiError.field(403, Reason.FORBIDDEN, "appId", "this token may not manage app '" + appId + "'");
        }
        App app = refusals(() -> p.store().createApp(appId, caller.name(), deployments, actor(caller)));
        Json.send(res, 201, ReleaseView.app(app));
    }

    public void showApp(ServerRequest req, ServerResponse res) {
        Json.send(res, 200, ReleaseView.app(owned(req)));
    }

    /** {@code POST /v1/apps/{app}/deployments}: {"name"}. */
    public void addDeployment(ServerRequest req, ServerResponse res) throws Exception {
        App app = owned(req);
        ReleaseBodies.Body b = ReleaseBodies.decode(RequestBody.read(req, p.maxBodyBytes()), Set.of("name"));
        String name = b.text("name", true);
        b.finish();
        Json.send(res, 201, ReleaseView.app(refusals(() -> p.store().addDeployment(app.id(), name, actor(p.auth().caller(req))))));
    }

    /**
     * {@code POST /v1/apps/{app}/releases}: an APK release from a finished request ({@code fromRequest}:
     * one artifact per channel), or a release whose {@code artifacts} are given (bundles). A draft.
     */
    public void createRelease(ServerRequest req, ServerResponse res) throws Exception {
        Caller caller = p.auth().caller(req);
        App app = owned(req);
        ReleaseBodies.Body b = ReleaseBodies.decode(RequestBody.read(req, p.maxBodyBytes()), RELEASE_FIELDS);
        String deployment = b.text("deployment", true);
        String platform = b.text("platform", true);
        String kindText = b.text("kind", false);
        String version = b.text("version", true);
        String clientVersions = b.text("clientVersions", true);
        String fromRequest = b.text("fromRequest", false);
        String fromArtifact = b.text("fromArtifact", false);
        var artifacts = b.artifacts();
        var labels = b.labels();
        boolean mandatory = b.bool("mandatory");
        String notes = b.text("notes", false);
        if ((fromRequest != null ? 1 : 0) + (fromArtifact != null ? 1 : 0) + (artifacts.isEmpty() ? 0 : 1) != 1) {
            b.problem("fromRequest", "give one of fromRequest (an APK release from a finished packaging request), fromArtifact (a bundle or "
                    + "offline package release from a stored submission) or artifacts");
        }
        ReleaseKind kind = ReleaseKind.APK;
        if (kindText != null) {
            try {
                kind = dev.packline.releases.Names.parse(ReleaseKind.class, kindText);
            } catch (IllegalArgumentException e) {
                b.problem("kind", e.getMessage());
            }
        }
        b.finish();
        NewRelease release;
        if (fromRequest != null) {
            RequestStatus status = p.requests().status(fromRequest).filter(s -> s.request().publisher().equals(caller.name()))
                    .orElseThrow(() -> ApiError.field(404, Reason.NOT_FOUND, "fromRequest", "no request '" + fromRequest + "' of yours"));
            if (!status.request().appId().equals(app.id())) {
                throw ApiError.field(400, Reason.INVALID_REQUEST, "fromRequest", "request " + fromRequest + " packaged app '"
                        + status.request().appId() + "', not '" + app.id() + "'");
            }
            release = refusals(() -> ReleaseFromRequest.of(status, new ReleaseFromRequest.Spec(deployment, platform, version, clientVersions,
                    mandatory, notes, labels)));
        } else if (fromArtifact != null) {
            ArtifactStore.Status status = p.artifacts().status(fromArtifact).filter(s -> s.submission().publisher().equals(caller.name()))
                    .orElseThrow(() -> ApiError.field(404, Reason.NOT_FOUND, "fromArtifact", "no artifact submission '" + fromArtifact + "' of yours"));
            if (!status.submission().appId().equals(app.id())) {
                throw ApiError.field(400, Reason.INVALID_REQUEST, "fromArtifact", "submission " + fromArtifact + " is of app '"
                        + status.submission().appId() + "', not '" + app.id() + "'");
            }
            release = refusals(() -> ReleaseFromArtifact.of(status, new ReleaseFromRequest.Spec(deployment, platform, version, clientVersions,
                    mandatory, notes, labels)));
        } else {
            release = new NewRelease(app.id(), deployment, platform, kind, version, clientVersions, artifacts, List.of(), mandatory, notes,
                    labels, null);
        }
        NewRelease toCreate = release;
        Json.send(res, 201, ReleaseView.release(refusals(() -> p.store().create(toCreate, actor(caller))), null));
    }

    public void listReleases(ServerRequest req, ServerResponse res) {
        App app = owned(req);
        Json.send(res, 200, Map.of("releases", p.store().releases(app.id()).stream().map(ReleaseView::summary).toList()));
    }

    public void showRelease(ServerRequest req, ServerResponse res) {
        App app = owned(req);
        long id = releaseId(req);
        var release = p.store().release(app.id(), id).orElseThrow(() -> ApiError.notFound("app '" + app.id() + "' has no release " + id));
        Json.send(res, 200, ReleaseView.release(release, p.reports().tallies(id)));
    }

    /** {@code POST /v1/apps/{app}/releases/{id}/actions}: {"action": "start" | "set-percentage" | ..., parameters}. */
    public void act(ServerRequest req, ServerResponse res) throws Exception {
        Caller caller = p.auth().caller(req);
        App app = owned(req);
        long id = releaseId(req);
        ActionRequest action = ReleaseBodies.action(RequestBody.read(req, p.maxBodyBytes()));
        var changed = refusals(() -> {
            try {
                return p.store().change(app.id(), id, action.toAction(), actor(caller));
            } catch (IllegalArgumentException e) {
                throw ApiError.of(400, Reason.INVALID_REQUEST, e.getMessage());
            }
        });
        Json.send(res, 200, ReleaseView.release(changed, null));
    }

    /** {@code POST /v1/apps/{app}/releases/{id}/promote}: {"deployment"}: a draft copy in another deployment. */
    public void promote(ServerRequest req, ServerResponse res) throws Exception {
        Caller caller = p.auth().caller(req);
        App app = owned(req);
        long id = releaseId(req);
        ReleaseBodies.Body b = ReleaseBodies.decode(RequestBody.read(req, p.maxBodyBytes()), Set.of("deployment"));
        String deployment = b.text("deployment", true);
        b.finish();
        Json.send(res, 201, ReleaseView.release(refusals(() -> p.store().promote(app.id(), id, deployment, actor(caller))), null));
    }

    public void audit(ServerRequest req, ServerResponse res) {
        App app = owned(req);
        // ASCII digits only: Integer.parseInt answered limit=abc with a 500 and took +5 and other scripts' digits
        int limit = req.query().first("limit").map(v -> (int) AsciiParsers.wholeNumber("limit", v, 1, 1000)).orElse(50);
        Json.send(res, 200, Map.of("audit", ReleaseView.audit(p.store().audit(app.id(), limit))));
    }

    /** The app of the path, if the caller may manage it; 404 otherwise, exactly like an app that does not exist. */
    private App owned(ServerRequest req) {
        Caller caller = p.auth().caller(req);
        String appId = req.path().pathParameters().get("app");
        return p.store().app(appId).filter(a -> a.owner().equals(caller.name()) && caller.mayUse(a.id()))
                .orElseThrow(() -> ApiError.notFound("no app '" + appId + "'"));
    }

    private static long releaseId(ServerRequest req) {
        String text = req.path().pathParameters().get("id");
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiError.notFound("no release '" + text + "'");
        }
    }

    private static String actor(Caller caller) {
        return caller.name() + "/" + caller.tokenName();
    }

    /** Runs a change, turning a refused one into the API's error: 404, 403, 400 or 409. */
    private static <T> T refusals(java.util.function.Supplier<T> change) {
        try {
            return change.get();
        } catch (ReleaseException e) {
            throw switch (e.refusal()) {
                case NOT_FOUND -> ApiError.notFound(e.getMessage());
                case FORBIDDEN -> ApiError.of(403, Reason.FORBIDDEN, e.getMessage());
                case INVALID -> ApiError.of(400, Reason.INVALID_REQUEST, e.getMessage());
                case NOT_ALLOWED, CONFLICT -> ApiError.of(409, Reason.CONFLICT, e.getMessage());
            };
        }
    }
}
