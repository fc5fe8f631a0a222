package dev.packline.update.report;

import dev.packline.releases.Release;
import dev.packline.releases.redis.InstallReports;
import dev.packline.releases.redis.InstallReports.Outcomes;
import dev.packline.releases.serving.CatalogCache;
import dev.packline.releases.serving.CatalogCache.Found;
import dev.packline.releases.serving.DeploymentView;
import dev.packline.update.check.ClientRateLimit;
import dev.packline.update.http.CallRefused;
import dev.packline.update.http.CallRefused.Why;
import dev.packline.update.http.Json;
import dev.packline.update.metrics.UpdateMetrics;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /v1/report}: a client says it downloaded, installed, failed to install or rolled back
 * a release. Counted in Redis (shared by every instance), then the automatic pause looks at the
 * release's outcomes. The release must belong to the deployment the key names.
 */
public final class ReportApi {
    /** The parts a report needs. */
    public record Params(CatalogCache cache, InstallReports reports, AutoPauser pauser, ReleaseTallies tallies, UpdateMetrics metrics,
                         ClientRateLimit rateLimit, long maxBodyBytes) {
    }

    private final Params p;

    public ReportApi(Params params) {
        this.p = params;
    }

    public void report(ServerRequest req, ServerResponse res) throws IOException {
        p.rateLimit().admit(req);
        ReportBody body = ReportBody.decode(read(req));
        Found found = p.cache().lookup(body.deploymentKey());
        switch (found.outcome()) {
            case UNKNOWN -> throw CallRefused.of(404, Why.UNKNOWN_DEPLOYMENT, "no deployment has this deploymentKey");
            case UNAVAILABLE -> throw CallRefused.of(503, Why.UNAVAILABLE, "the release catalogue cannot be read right now; retry later");
            case FOUND -> {
            }
        }
        Release release = find(found.deployment(), body.releaseId()).orElseThrow(() -> CallRefused.of(404, Why.NOT_FOUND,
                "release " + body.releaseId() + " is not a release of this deployment"));
        Outcomes outcomes = p.reports().record(release.id(), body.event(), body.clientId(), body.reason());
        p.metrics().report(body.event());
        p.tallies().reported(release.app(), release.id());
        p.pauser().consider(release, outcomes);
        Json.send(res, 202, Map.of("recorded", true));
    }

    private static Optional<Release> find(DeploymentView deployment, long id) {
        return deployment.releases().values().stream().flatMap(l -> l.newestFirst().stream()).map(s -> s.release())
                .filter(r -> r.id() == id).findFirst();
    }

    private byte[] read(ServerRequest req) throws IOException {
        if (!req.content().hasEntity()) {
            throw CallRefused.of(400, Why.MISSING_FIELD, "a JSON body is required");
        }
        try (InputStream in = req.content().inputStream()) {
            byte[] bytes = in.readNBytes((int) p.maxBodyBytes() + 1);
            if (bytes.length > p.maxBodyBytes()) {
                discardRest(in);
                throw CallRefused.of(413, Why.BODY_TOO_LARGE, "a report body is at most " + p.maxBodyBytes() + " bytes");
            }
            return bytes;
        }
    }

    /**
     * Reads what is left of an oversized body before the 413 goes out: a connection closed with
     * unread bytes is reset, and the client then often loses the answer. The web server cuts bodies
     * over four times the limit itself (UpdateServer).
     */
    private static void discardRest(InputStream in) {
        try {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (RuntimeException | IOException e) {
            // over the web server's own limit or cut short: the refusal stands either way
        }
    }
}
