package dev.packline.api.artifacts;

import dev.packline.api.auth.Authenticator;
import dev.packline.api.auth.Publishers.Caller;
import dev.packline.api.http.ApiError;
import dev.packline.api.http.Json;
import dev.packline.api.http.Reason;
import dev.packline.api.limits.SubmitRateLimiter;
import dev.packline.http.input.JsonBody;
import dev.packline.http.input.RequestBody;
import dev.packline.pipeline.RequestRules;
import dev.packline.pipeline.Stage;
import dev.packline.pipeline.artifact.ArtifactStore;
import dev.packline.pipeline.artifact.ArtifactSubmission;
import dev.packline.pipeline.artifact.IncrementStore;
import dev.packline.pipeline.artifact.StoredArtifact;
import dev.packline.pipeline.job.ArtifactJob;
import dev.packline.pipeline.job.StageJobs;
import dev.packline.queue.NewJob;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueStateException;
import dev.packline.queue.VersionNotAcceptingJobsException;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The artifact routes: submit a JS bundle or an offline package, and show a submission with its
 * stored file and its increments. Publisher-scoped like the job routes: a publisher sees only its
 * own submissions (and, with an app-limited token, only those apps); anything else is 404.
 */
public final class ArtifactsApi {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public record Params(ArtifactStore artifacts, IncrementStore increments, QueueClient queue, Authenticator auth, RequestRules rules,
                         SubmitRateLimiter rate, int maxAttempts, Duration jobTimeout, long maxBodyBytes) {
    }

    private final Params p;
    private final ArtifactBody body;

    public ArtifactsApi(Params params) {
        this.p = params;
        this.body = new ArtifactBody(new JsonBody(JsonBody.Limits.defaults().withMaxBytes(params.maxBodyBytes())));
    }

    /** {@code POST /v1/artifacts}: 202 with the id and the status URL; the upload queue's artifact job stores it and plans its increments. */
    public void submit(ServerRequest req, ServerResponse res) {
        Caller caller = p.auth().caller(req);
        ArtifactSubmission submission = body.parse(RequestBody.read(req, p.maxBodyBytes()), newId(), caller.name(), p.rules());
        if (!caller.mayUse(submission.appId())) {
            throw ApiError.field(403, Reason.FORBIDDEN, "appId", "this token may not submit for app '" + submission.appId() + "'");
        }
        Duration wait = p.rate().take(caller.name(), caller.publisher().limits());
        if (!wait.isZero()) {
            throw ApiError.rateLimited("submit rate of publisher '" + caller.name() + "' exceeded", (wait.toMillis() + 999) / 1000);
        }
        p.artifacts().create(submission);
        try {
            p.queue().enqueueBatch(Stage.UPLOAD.queueName(), List.of(NewJob.of(StageJobs.write(ArtifactJob.of(submission)))
                    .withId(Stage.artifactJobId(submission.id())).withMaxAttempts(p.maxAttempts()).withTimeout(p.jobTimeout())
                    .withGroup(caller.name())));
        } catch (QueueStateException | VersionNotAcceptingJobsException e) {
            p.artifacts().failed(submission.id(), "the upload queue did not take the job: " + e.getMessage());
            throw ApiError.of(503, Reason.INTERNAL, "the upload queue cannot take jobs right now; retry later");
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", submission.id());
        answer.put("state", "pending");
        answer.put("statusUrl", "/v1/artifacts/" + submission.id());
        Json.send(res, 202, answer);
    }

    /** {@code GET /v1/artifacts/{id}}: the submission, its stored file and each planned increment with what is known of it. */
    public void show(ServerRequest req, ServerResponse res) {
        Caller caller = p.auth().caller(req);
        String id = req.path().pathParameters().get("id");
        Optional<ArtifactStore.Status> found = id != null && ID.matcher(id).matches() ? p.artifacts().status(id) : Optional.empty();
        if (found.isEmpty() || !caller.name().equals(found.get().submission().publisher()) || !caller.mayUse(found.get().submission().appId())) {
            throw ApiError.notFound("no artifact submission '" + id + "'");
        }
        ArtifactStore.Status status = found.get();
        ArtifactSubmission s = status.submission();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", s.id());
        view.put("appId", s.appId());
        view.put("kind", s.kind().wireName());
        view.put("name", s.name());
        view.put("version", s.version());
        view.put("state", status.state());
        status.error().ifPresent(e -> view.put("error", e));
        status.stored().ifPresent(f -> view.put("file", file(f)));
        view.put("increments", status.increments().stream().map(this::increment).toList());
        Json.send(res, 200, view);
    }

    private static Map<String, Object> file(StoredArtifact f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("object", f.location());
        m.put("url", f.url());
        m.put("size", f.bytes());
        m.put("sha256", f.sha256());
        m.put("md5", f.md5());
        return m;
    }

    private Map<String, Object> increment(ArtifactStore.PlannedIncrement planned) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", planned.format().wireName());
        m.put("fromVersion", planned.fromVersion());
        m.put("fromSha256", planned.fromSha256());
        var made = p.increments().find(planned.format(), planned.fromSha256(), planned.toSha256());
        if (made.isPresent()) {
            m.put("state", "done");
            m.put("url", made.get().url());
            m.put("size", made.get().bytes());
            m.put("sha256", made.get().sha256());
            m.put("md5", made.get().md5());
        } else {
            Optional<String> failure = p.increments().failure(planned.format(), planned.fromSha256(), planned.toSha256());
            m.put("state", failure.isPresent() ? "failed" : "pending");
            failure.ifPresent(e -> m.put("error", e));
        }
        return m;
    }

    private static String newId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return "a" + HexFormat.of().formatHex(bytes);
    }
}
