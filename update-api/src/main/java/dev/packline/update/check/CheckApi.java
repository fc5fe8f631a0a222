package dev.packline.update.check;

import dev.packline.http.input.RequestFields;
import dev.packline.releases.rollout.Decision;
import dev.packline.releases.rollout.ReleaseList;
import dev.packline.update.increment.AcceptedFormats;
import dev.packline.update.increment.IncrementOffers;
import dev.packline.releases.rollout.UpdatePicker;
import dev.packline.releases.serving.CatalogCache;
import dev.packline.releases.serving.CatalogCache.Found;
import dev.packline.releases.serving.Target;
import dev.packline.update.http.CallRefused;
import dev.packline.update.http.CallRefused.Why;
import dev.packline.update.http.Json;
import dev.packline.update.http.Refusal;
import dev.packline.update.metrics.UpdateMetrics;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The check routes: read the client's fields, find its deployment in the snapshot, let the picker
 * choose, answer. No Redis call in the steady state; see {@link CatalogCache#lookup} for the one
 * exception (a key the snapshot does not know yet).
 */
public final class CheckApi {
    private final CatalogCache cache;
    private final UpdateMetrics metrics;
    private final ClientRateLimit rateLimit;
    private final IncrementOffers increments;
    private final NativeAnswers answers = new NativeAnswers();

    public CheckApi(CatalogCache cache, UpdateMetrics metrics, ClientRateLimit rateLimit, IncrementOffers increments) {
        this.cache = cache;
        this.metrics = metrics;
        this.rateLimit = rateLimit;
        this.increments = increments;
    }

    /**
     * {@code GET /v1/check}: the decision, with the patches and increments in the formats the client
     * declared. The decision's part of the answer is made once per release and file ({@link NativeAnswers}).
     */
    public void check(ServerRequest req, ServerResponse res) {
        Decided d = decide(req);
        NativeAnswers.Answer answer = answers.of(cache.current(), d.decision());
        Map<String, Object> offers = new LinkedHashMap<>(); // empty unless the client can apply a patch or increment
        increments.addTo(offers, d.decision(), d.check().client(), d.releases(), AcceptedFormats.read(d.fields()));
        Json.sendJson(res, 200, answer.with(offers));
    }

    /** {@code GET /v1/compat/check}: the same choice and offers in the common self-built design's shape. */
    public void compatible(ServerRequest req, ServerResponse res) {
        Decided d = decide(req);
        Map<String, Object> data = CheckAnswer.compatibleData(d.decision(), d.check().client().sign());
        increments.addToCompatible(data, d.decision(), d.check().client(), d.releases(), AcceptedFormats.read(d.fields()));
        Json.send(res, 200, CheckAnswer.compatibleBody(data));
    }

    /** The compatibility route's error body: {@code {"status": 1, "msg": "..."}}. */
    public static Object compatibleError(Refusal e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", 1);
        body.put("msg", e.message());
        return body;
    }

    /** The choice for one call, with the call's fields (split once; the formats are read from them too). */
    private record Decided(CheckQuery.Check check, Decision decision, ReleaseList releases, RequestFields fields) {
    }

    private Decided decide(ServerRequest req) {
        rateLimit.admit(req);
        long start = System.nanoTime();
        RequestFields fields = new RequestFields(req, new ArrayList<>());
        CheckQuery.Check check = CheckQuery.read(fields);
        Found found = cache.lookup(check.deploymentKey());
        switch (found.outcome()) {
            case UNKNOWN -> throw CallRefused.of(404, Why.UNKNOWN_DEPLOYMENT, "no deployment has this deploymentKey");
            case UNAVAILABLE -> throw CallRefused.of(503, Why.UNAVAILABLE,
                    "this deploymentKey is not known yet and the release catalogue cannot be read right now; retry later");
            case FOUND -> {
            }
        }
        ReleaseList releases = found.deployment().releases(new Target(check.client().platform(), check.client().kind()));
        Decision decision = UpdatePicker.pick(releases, check.client());
        metrics.check(decision, System.nanoTime() - start);
        return new Decided(check, decision, releases, fields);
    }
}
