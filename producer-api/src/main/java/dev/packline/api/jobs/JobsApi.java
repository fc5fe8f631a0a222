package dev.packline.api.jobs;

import dev.packline.api.auth.Authenticator;
import dev.packline.api.auth.Publishers.Caller;
import dev.packline.api.http.ApiError;
import dev.packline.api.http.Json;
import dev.packline.api.http.Reason;
import dev.packline.api.limits.ChannelsInFlight;
import dev.packline.api.limits.PriorityRule;
import dev.packline.api.limits.SubmitRateLimiter;
import dev.packline.api.metrics.ApiMetrics;
import dev.packline.http.input.AsciiParsers;
import dev.packline.http.input.InputRefusedException;
import dev.packline.http.input.JsonBody;
import dev.packline.http.input.RequestBody;
import dev.packline.pipeline.Cancellation;
import dev.packline.pipeline.PackagingRequest;
import dev.packline.pipeline.RequestRules;
import dev.packline.pipeline.RequestState;
import dev.packline.pipeline.RequestStatus;
import dev.packline.pipeline.RequestStore;
import dev.packline.pipeline.Submitter;
import dev.packline.queue.QueueStateException;
import dev.packline.queue.VersionNotAcceptingJobsException;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * The job routes: submit, show, list, cancel. Every route authenticates first; a publisher sees
 * and cancels only its own requests (and, with an app-limited token, only those apps): anything
 * else answers 404, exactly like an id that never existed, so ids leak nothing.
 */
public final class JobsApi {
    private static final Logger log = LoggerFactory.getLogger(JobsApi.class);
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_LIMIT = 100;
    private static final int DEFAULT_LIMIT = 20;
    /** Index entries one list call looks at before handing back a cursor, however selective its filters. */
    private static final int SCAN_BUDGET = 2_000;
    private static final Duration IN_FLIGHT_RETRY = Duration.ofSeconds(10);

    /**
     * @param maxBodyBytes the largest submit body read
     */
    public record Params(RequestStore requests, Submitter submitter, PublisherIndex index, SubmitRateLimiter rate, ChannelsInFlight inFlight,
                         Authenticator auth, RequestRules rules, ApiMetrics metrics, Clock clock, long maxBodyBytes) {
    }

    private final Params p;
    private final SubmitBody submitBody;

    public JobsApi(Params params) {
        this.p = params;
        this.submitBody = new SubmitBody(new JsonBody(JsonBody.Limits.defaults().withMaxBytes(params.maxBodyBytes())));
    }

    /** {@code POST /v1/jobs}: 202 with the id, the channel count and the status URL; nothing is enqueued for a refused body. */
    public void submit(ServerRequest req, ServerResponse res) throws Exception {
        Caller caller = p.auth().caller(req);
        MDC.put("publisher", caller.name());
        PackagingRequest request;
        try {
            String key = idempotencyKey(req);
            byte[] body = RequestBody.read(req, p.maxBodyBytes());
            String id = key == null ? newId() : idempotentId(caller.name(), key);
            request = submitBody.parse(body, id, caller.name(), p.rules());
            if (!caller.mayUse(request.appId())) {
                throw ApiError.field(403, Reason.FORBIDDEN, "appId", "this token may not submit for app '" + request.appId() + "'");
            }
            PriorityRule.check(caller.name(), caller.publisher().limits(), request);
            if (key != null) {
                Optional<RequestStatus> existing = p.requests().status(id);
                if (existing.isPresent()) {
                    replay(request, existing.get(), res);
                    return;
                }
            }
        } catch (ApiError | InputRefusedException e) {
            p.metrics().submit(caller.name(), "rejected");
            throw e;
        }
        MDC.put("requestId", request.id());
        int maxInFlight = caller.publisher().limits().maxChannelsInFlight();
        int channels = request.channels().size();
        if (maxInFlight > 0 && channels > maxInFlight) {
            p.metrics().submit(caller.name(), "rejected");
            throw ApiError.field(400, Reason.TOO_MANY_CHANNELS, "channels", channels + " channels, more than the publisher's cap of "
                    + maxInFlight + " channels in flight");
        }
        boolean created;
        ReentrantLock lock = maxInFlight > 0 ? p.inFlight().lock(caller.name()) : null;
        if (lock != null) {
            lock.lock();
        }
        try {
            if (maxInFlight > 0) {
                long inFlight = p.inFlight().inFlight(caller.name(), (long) maxInFlight - channels);
                if (inFlight + channels > maxInFlight) {
                    p.metrics().rateLimited(caller.name(), "channels_in_flight");
                    p.metrics().submit(caller.name(), "rejected");
                    throw new ApiError(429, Reason.RATE_LIMITED, "publisher '" + caller.name() + "' has " + inFlight + " channels in flight; "
                            + channels + " more would pass its cap of " + maxInFlight, List.of(), IN_FLIGHT_RETRY.toSeconds());
                }
            }
            takeSubmitRate(caller); // after the in-flight check: a submit refused for its channels uses none of the rate
            created = enqueue(request);
            if (created) {
                p.index().add(caller.name(), request.id(), request.appId(), channels);
            }
        } finally {
            if (lock != null) {
                lock.unlock();
            }
        }
        if (created) {
            p.metrics().submit(caller.name(), "accepted");
            p.metrics().channelsSubmitted(caller.name(), channels);
            log.info("request {} accepted: app {}, {} channels, token {}", request.id(), request.appId(), channels, caller.tokenName());
        } else {
            p.metrics().submit(caller.name(), "duplicate");
        }
        accepted(res, request, !created);
    }

    /**
     * Records the request and enqueues its jobs. When the package queue refuses (no current version,
     * or it stopped accepting), the answer is 503: the request may be recorded without its jobs, and
     * a retry with the same Idempotency-Key completes it.
     */
    private boolean enqueue(PackagingRequest request) {
        try {
            return p.submitter().submit(request);
        } catch (QueueStateException | VersionNotAcceptingJobsException e) {
            log.error("cannot enqueue request {}: {}", request.id(), e.getMessage());
            throw ApiError.of(503, Reason.INTERNAL, "the package queue cannot take jobs right now; retry later (with the same Idempotency-Key)");
        }
    }

    private void takeSubmitRate(Caller caller) {
        Duration wait = p.rate().take(caller.name(), caller.publisher().limits());
        if (!wait.isZero()) {
            p.metrics().rateLimited(caller.name(), "submit_rate");
            p.metrics().submit(caller.name(), "rejected");
            throw ApiError.rateLimited("submit rate of publisher '" + caller.name() + "' exceeded ("
                    + caller.publisher().limits().submitsPerMinute() + " a minute, bursts of " + caller.publisher().limits().submitBurst() + ")",
                    (wait.toMillis() + 999) / 1000);
        }
    }

    /** A submit whose Idempotency-Key was seen: the same request again answers as the first did, another one is a conflict. */
    private void replay(PackagingRequest request, RequestStatus existing, ServerResponse res) {
        if (!existing.request().equals(request)) {
            throw ApiError.field(409, Reason.CONFLICT, "Idempotency-Key", "already used for request " + existing.request().id()
                    + " with a different body; use a new key for a new request");
        }
        if (existing.requestState() == RequestState.QUEUED && !existing.cancelRequested()) {
            enqueue(request); // finishes a first submit that died between recording and enqueueing; job ids dedupe
            p.index().add(request.publisher(), request.id(), request.appId(), request.channels().size()); // keeps entries made before
        }
        p.metrics().submit(request.publisher(), "duplicate");
        accepted(res, request, true);
    }

    private static void accepted(ServerResponse res, PackagingRequest request, boolean replayed) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", request.id());
        body.put("channels", request.channels().size());
        body.put("status", JobView.statusUrl(request.id()));
        body.put("events", JobView.statusUrl(request.id()) + "/events");
        body.put("duplicate", replayed);
        res.header(HeaderNames.LOCATION, JobView.statusUrl(request.id()));
        if (replayed) {
            res.header("Idempotent-Replayed", "true");
        }
        Json.send(res, 202, body);
    }

    /** {@code GET /v1/jobs/{id}}. */
    public void show(ServerRequest req, ServerResponse res) {
        Caller caller = p.auth().caller(req);
        RequestStatus status = owned(caller, req.path().pathParameters().get("id"));
        Json.send(res, 200, JobView.full(status, p.clock().millis()));
    }

    /** {@code DELETE /v1/jobs/{id}}: channels not started end as cancelled, finished ones stay; 409 when the request already finished. */
    public void cancel(ServerRequest req, ServerResponse res) {
        Caller caller = p.auth().caller(req);
        RequestStatus status = owned(caller, req.path().pathParameters().get("id"));
        MDC.put("publisher", caller.name());
        MDC.put("requestId", status.request().id());
        Cancellation cancellation = p.requests().cancel(status.request().id())
                .orElseThrow(() -> ApiError.notFound("no request " + status.request().id()));
        if (cancellation.kind() == Cancellation.Kind.ALREADY_FINISHED) {
            throw ApiError.of(409, Reason.CONFLICT, "request " + status.request().id() + " already finished ("
                    + cancellation.state().wire() + "); nothing to cancel");
        }
        log.info("request {} cancel requested by token {}", status.request().id(), caller.tokenName());
        RequestStore.Summary summary = p.requests().summary(status.request().id()).orElseThrow(() -> ApiError.notFound("no request " + status.request().id()));
        Json.send(res, 202, JobView.summary(summary, status.request().appId(), p.clock().millis()));
    }

    /** {@code GET /v1/jobs?app=&state=&limit=&cursor=}: the caller's requests, newest first. */
    public void list(ServerRequest req, ServerResponse res) {
        Caller caller = p.auth().caller(req);
        String app = query(req, "app");
        String state = query(req, "state");
        if (state != null && !JobView.states().contains(state)) {
            throw ApiError.field(400, Reason.INVALID_REQUEST, "state", "one of " + String.join(", ", JobView.states()) + ", got '" + state + "'");
        }
        String limitText = query(req, "limit");
        int limit = limitText == null ? DEFAULT_LIMIT : (int) AsciiParsers.wholeNumber("limit", limitText, 1, MAX_LIMIT);
        String cursor = query(req, "cursor");
        if (cursor != null) {
            try {
                PublisherIndex.decodeCursor(cursor);
            } catch (IllegalArgumentException e) {
                throw ApiError.field(400, Reason.INVALID_REQUEST, "cursor", e.getMessage());
            }
        }
        List<Map<String, Object>> jobs = new ArrayList<>();
        String next = null;
        int examined = 0;
        long now = p.clock().millis();
        scan:
        while (true) {
            PublisherIndex.Page page = p.index().page(caller.name(), cursor, MAX_LIMIT);
            for (PublisherIndex.Entry e : page.entries()) {
                examined++;
                if ((app == null || app.equals(e.appId())) && caller.mayUse(e.appId())) {
                    Optional<RequestStore.Summary> summary = p.requests().summary(e.id());
                    if (summary.isEmpty()) {
                        p.index().forget(caller.name(), e); // expired before the index trimmed it
                    } else if (state == null || state.equals(summary.get().state())) {
                        jobs.add(JobView.summary(summary.get(), e.appId(), now));
                    }
                }
                if (jobs.size() == limit || examined >= SCAN_BUDGET) {
                    next = PublisherIndex.cursorAfter(e);
                    break scan;
                }
            }
            if (page.nextCursor() == null) {
                break;
            }
            cursor = page.nextCursor();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jobs", jobs);
        body.put("nextCursor", next);
        Json.send(res, 200, body);
    }

    /** The request if the caller may see it; 404 otherwise (also for other publishers' ids). */
    RequestStatus owned(Caller caller, String id) {
        if (id == null || !REQUEST_ID.matcher(id).matches()) {
            throw ApiError.notFound("no request '" + id + "'");
        }
        Optional<RequestStatus> status = p.requests().status(id);
        if (status.isEmpty() || !caller.name().equals(status.get().request().publisher()) || !caller.mayUse(status.get().request().appId())) {
            throw ApiError.notFound("no request " + id);
        }
        return status.get();
    }

    private static String query(ServerRequest req, String name) {
        return req.query().contains(name) ? req.query().get(name) : null;
    }

    private static String idempotencyKey(ServerRequest req) {
        Optional<String> key = req.headers().first(HeaderNames.create("Idempotency-Key"));
        if (key.isEmpty()) {
            return null;
        }
        return AsciiParsers.visible("Idempotency-Key", key.get(), 1, 200);
    }

    static String newId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return "r" + HexFormat.of().formatHex(bytes);
    }

    /** The same (publisher, key) always names the same request, so a retried submit finds the first. */
    static String idempotentId(String publisher, String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest((publisher + "\n" + key).getBytes(StandardCharsets.UTF_8));
            return "k" + HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
