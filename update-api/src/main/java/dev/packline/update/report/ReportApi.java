package dev.packline.update.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.packline.http.input.AsciiParsers;
import dev.packline.http.input.InputProblem;
import dev.packline.http.input.InputRefusedException;
import dev.packline.http.input.JsonBody;
import dev.packline.http.input.JsonFields;
import dev.packline.http.input.RequestBody;
import dev.packline.releases.InstallEvent;
import dev.packline.releases.Names;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /v1/report}: a client says it downloaded, installed, failed to install or rolled back
 * a release. The body is read through http-input's strict path (RequestBody, JsonBody, JsonFields);
 * then counted in Redis (shared by every instance), and the automatic pause looks at the release's
 * outcomes. The release must belong to the deployment the key names.
 * <pre>{"deploymentKey": "dk_...", "releaseId": 42, "event": "failed", "clientId": "...", "reason": "verify_failed"}</pre>
 */
public final class ReportApi {
    private static final Set<String> FIELDS = Set.of("deploymentKey", "releaseId", "event", "clientId", "reason");
    private static final List<String> REQUIRED = List.of("deploymentKey", "releaseId", "event");

    /** The parts a report needs. */
    public record Params(CatalogCache cache, InstallReports reports, AutoPauser pauser, ReleaseTallies tallies, UpdateMetrics metrics,
                         ClientRateLimit rateLimit, long maxBodyBytes) {
    }

    /** A report as decoded. */
    private record Report(String deploymentKey, long releaseId, InstallEvent event, String clientId, String reason) {
    }

    private final Params p;
    private final JsonBody json;

    public ReportApi(Params params) {
        this.p = params;
        this.json = new JsonBody(JsonBody.Limits.defaults().withMaxBytes(params.maxBodyBytes()));
    }

    public void report(ServerRequest req, ServerResponse res) {
        p.rateLimit().admit(req);
        Report body = decode(json.object(RequestBody.read(req, p.maxBodyBytes())));
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

    /** The report's fields, each of its type and shape, every problem named at once (400). */
    private static Report decode(ObjectNode root) {
        List<InputProblem> problems = new ArrayList<>();
        JsonFields fields = new JsonFields(root, problems).only(FIELDS).required(REQUIRED);
        String key = shaped(fields, "deploymentKey", 128, "_.:-", "a deployment key", problems);
        long releaseId = fields.wholeNumber("releaseId", 1, Long.MAX_VALUE, 0);
        InstallEvent event = null;
        String eventText = fields.text("event");
        if (eventText != null) {
            try {
                event = Names.parse(InstallEvent.class, AsciiParsers.token("event", eventText, 1, 32, "_-", "an event"));
            } catch (IllegalArgumentException e) {
                problems.add(InputProblem.invalid("event", e.getMessage()));
            } catch (InputRefusedException e) {
                problems.addAll(e.problems());
            }
        }
        String clientId = shaped(fields, "clientId", 128, "_.:-", "a client id", problems);
        String reason = shaped(fields, "reason", 40, "_-", "a reason", problems);
        if (reason != null && !reason.equals(reason.toLowerCase(java.util.Locale.ROOT))) {
            problems.add(InputProblem.invalid("reason", "lower-case letters, digits, '_' or '-'"));
        }
        if (reason != null && event != null && event != InstallEvent.FAILED) {
            problems.add(InputProblem.invalid("reason", "only a failed report has a reason"));
        }
        if (!problems.isEmpty()) {
            throw new InputRefusedException(400, problems, false);
        }
        return new Report(key, releaseId, event, clientId, reason);
    }

    private static String shaped(JsonFields fields, String name, int maxLength, String extra, String what, List<InputProblem> problems) {
        String text = fields.text(name);
        if (text == null) {
            return null;
        }
        try {
            return AsciiParsers.token(name, text, 1, maxLength, extra, what);
        } catch (InputRefusedException e) {
            problems.addAll(e.problems());
            return null;
        }
    }

    private static Optional<Release> find(DeploymentView deployment, long id) {
        return deployment.releases().values().stream().flatMap(l -> l.newestFirst().stream()).map(s -> s.release())
                .filter(r -> r.id() == id).findFirst();
    }
}
