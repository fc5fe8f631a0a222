package dev.packline.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.packline.api.ApiFixture.Response;
import dev.packline.pipeline.Stage;
import dev.packline.pipeline.job.ArtifactJob;
import dev.packline.pipeline.job.StageJobs;
import dev.packline.queue.JobRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The artifact routes over real HTTP: a submission becomes one artifact job on the upload queue; bad bodies are refused field by field; tenancy. */
class ArtifactsApiTest {
    @TempDir
    Path temp;
    ApiFixture api;

    @BeforeEach
    void start() throws Exception {
        api = new ApiFixture(temp);
        api.queues.ensureQueue(Stage.UPLOAD.queueName());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private Response send(String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(api.uri(path)).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        return api.send(b.build());
    }

    private String body(Path file) {
        return """
                {"appId": "com.acme.game", "kind": "bundle", "name": "index.android.bundle", "version": "2.4.7", "location": "%s",
                 "outputStore": "local", "outputPrefix": "rn/", "increments": 3}""".formatted(file.toUri());
    }

    @Test
    void aSubmissionIsOneArtifactJobOnTheUploadQueueAndOnlyItsPublisherSeesIt() throws Exception {
        Path bundle = Files.writeString(api.apks.resolve("index.android.bundle"), "var a = 1;");
        Response submitted = send(api.acmeToken, "POST", "/v1/artifacts", body(bundle));
        assertEquals(202, submitted.status(), submitted.text());
        String id = submitted.json().get("id").asText();
        assertEquals("/v1/artifacts/" + id, submitted.json().get("statusUrl").asText());

        var version = api.broker.currentVersion(Stage.UPLOAD.queueName()).orElseThrow();
        JobRecord job = api.broker.job(version, Stage.artifactJobId(id)).orElseThrow();
        ArtifactJob artifact = StageJobs.read(job.payload(), ArtifactJob.class);
        assertEquals(bundle.toUri().toString(), artifact.location());
        assertEquals(3, artifact.increments());
        assertEquals("rn/", artifact.outputPrefix());

        JsonNode shown = send(api.acmeToken, "GET", "/v1/artifacts/" + id, null).json();
        assertEquals("pending", shown.get("state").asText());
        assertEquals("bundle", shown.get("kind").asText());
        assertEquals(404, send(api.rivalToken, "GET", "/v1/artifacts/" + id, null).status(), "another publisher's submission does not exist");
        assertEquals(404, send(api.acmeToken, "GET", "/v1/artifacts/no-such-id", null).status());
        assertEquals(401, send("wrong-token", "POST", "/v1/artifacts", body(bundle)).status());
    }

    @Test
    void badBodiesAreRefusedNamingEveryFieldAndEnqueueNothing() throws Exception {
        record Case(String body, List<String> fields) {
        }
        Path outside = Files.writeString(temp.resolve("outside.js"), "var a;");
        List<Case> cases = List.of(
                new Case("{\"appId\": \"com.acme.game\", \"kind\": \"apk\", \"name\": \"../x\", \"version\": \"\", \"location\": \"ftp://x\","
                        + " \"outputStore\": \"nowhere\", \"increments\": 99}", List.of("kind", "name", "version", "location", "outputStore", "increments")),
                new Case("{\"appId\": \"com.acme.game\", \"kind\": \"bundle\", \"name\": \"b\", \"version\": \"1\", \"location\": \""
                        + outside.toUri() + "\", \"outputStore\": \"local\"}", List.of("location")),
                new Case("{\"kind\": \"bundle\", \"colour\": \"red\"}", List.of("appId", "name", "version", "location", "outputStore", "colour")),
                new Case("{\"appId\": \"com.acme.game\", \"appId\": \"x\"}", List.of()));
        var version = api.broker.currentVersion(Stage.UPLOAD.queueName()).orElseThrow();
        long pendingBefore = api.broker.counts(version).pending();
        for (Case c : cases) {
            Response r = send(api.acmeToken, "POST", "/v1/artifacts", c.body());
            assertEquals(400, r.status(), c.body() + " -> " + r.text());
            List<String> fields = new ArrayList<>();
            r.json().path("error").path("problems").forEach(p -> fields.add(p.get("field").asText()));
            assertTrue(fields.containsAll(c.fields()), c.body() + " -> " + r.text());
        }
        assertEquals(pendingBefore, api.broker.counts(version).pending(), "nothing enqueued for a refused body");
    }
}
