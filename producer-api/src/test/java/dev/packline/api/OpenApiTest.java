package dev.packline.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.packline.api.ApiFixture.Response;
import dev.packline.api.http.Routes;
import dev.packline.pipeline.RequestStore;
import dev.packline.pipeline.Stage;
import dev.packline.queue.TestRedis;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document against the real API: it is a valid OpenAPI 3.1 document (swagger-parser),
 * it lists exactly the routes {@code ApiServer.routing} registers, and real answers over HTTP
 * (successes and refusals of every documented kind) and the bodies sent validate against it.
 */
class OpenApiTest {
    @TempDir
    Path temp;
    ApiFixture api;
    OpenApiContract contract;
    final List<String> problems = new ArrayList<>();
    final Set<String> exercised = new TreeSet<>();

    @BeforeEach
    void start() throws Exception {
        api = new ApiFixture(temp);
        contract = new OpenApiContract();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void theDocumentIsAValidOpenApi31DocumentServedWithoutAToken() throws Exception {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(contract.text, null, options);
        assertEquals(List.of(), parsed.getMessages(), "swagger-parser finds nothing wrong");
        assertEquals(SpecVersion.V31, parsed.getOpenAPI().getSpecVersion());
        assertEquals("3.1.0", parsed.getOpenAPI().getOpenapi());
        Set<String> operationIds = new HashSet<>();
        parsed.getOpenAPI().getPaths().forEach((path, item) -> item.readOperations().forEach(op -> {
            assertTrue(op.getOperationId() != null && operationIds.add(op.getOperationId()), "a unique operationId on every operation of " + path);
            assertTrue(op.getResponses() != null && !op.getResponses().isEmpty(), path + " " + op.getOperationId() + " has responses");
        }));

        Response served = api.get(null, "/v1/openapi.json");
        assertEquals(200, served.status());
        assertEquals(contract.document, served.json(), "the API serves the document as written");
    }

    @Test
    void everyRegisteredRouteIsDocumentedAndEveryDocumentedRouteRegistered() {
        Set<String> registered = new TreeSet<>();
        for (Routes.Route r : api.api.routes()) {
            registered.add(r.method() + " " + r.template());
        }
        Set<String> documented = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = contract.document.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (String method : List.of("get", "post", "put", "patch", "delete", "head", "options")) {
                if (path.getValue().has(method)) {
                    documented.add(method.toUpperCase() + " " + path.getKey());
                }
            }
        }
        assertTrue(registered.size() >= 17, "the routes were recorded: " + registered);
        assertEquals(registered, documented);
    }

    @Test
    void realAnswersAndTheBodiesSentValidateAgainstTheDocument() throws Exception {
        call(null, "GET", "/v1/openapi.json", null, 200);
        call(null, "GET", "/healthz", null, 200);
        call(null, "GET", "/metrics", null, 200);

        // jobs: submit, replay, every refusal kind
        String id = call(api.acmeToken, "POST", "/v1/jobs", api.body(3), 202).json().get("id").asText();
        call(api.acmeToken, "POST", "/v1/jobs", api.body(2), 202, "Idempotency-Key", "k-" + id);
        call(api.acmeToken, "POST", "/v1/jobs", api.body(2), 202, "Idempotency-Key", "k-" + id);
        call(api.acmeToken, "POST", "/v1/jobs", api.body(3), 409, "Idempotency-Key", "k-" + id);
        call(api.acmeToken, "POST", "/v1/jobs", "{\"appId\": 1, \"colour\": \"red\"}", 400);
        call("not-a-token", "POST", "/v1/jobs", api.body(1), 401);
        call(api.acmeGameOnlyToken, "POST", "/v1/jobs", api.body(1).replace("com.acme.game", "com.acme.other"), 403);
        call(api.acmeToken, "POST", "/v1/jobs", "[" + "1,".repeat(200_000) + "1]", 413);
        call(api.acmeToken, "POST", "/v1/jobs", api.body(1), 415, "Content-Encoding", "gzip");
        call(api.limitedToken, "POST", "/v1/jobs", api.body(20), 202);
        Response limited = call(api.limitedToken, "POST", "/v1/jobs", api.body(10), 429);
        assertTrue(limited.header("Retry-After").isPresent());

        call(api.acmeToken, "GET", "/v1/jobs/" + id, null, 200);
        call(api.rivalToken, "GET", "/v1/jobs/" + id, null, 404);
        call(api.acmeToken, "GET", "/v1/jobs?limit=5", null, 200);
        call(api.acmeToken, "GET", "/v1/jobs?state=bogus", null, 400);
        call(api.acmeToken, "DELETE", "/v1/jobs/" + id, null, 202);

        String finished = finishedRequest(2);
        call(api.acmeToken, "DELETE", "/v1/jobs/" + finished, null, 409);
        Response events = call(api.acmeToken, "GET", "/v1/jobs/" + finished + "/events", null, 200);
        String doneId = events.text().lines().filter(l -> l.startsWith("id:")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no event id in " + events.text())).substring(3).strip();
        call(api.acmeToken, "GET", "/v1/jobs/" + finished + "/events", null, 204, "Last-Event-ID", doneId);
        call(api.acmeToken, "GET", "/v1/jobs/" + finished + "/events", null, 400, "Last-Event-ID", "two words");

        // apps and releases
        String app = "com.acme.game";
        call(api.acmeToken, "POST", "/v1/apps", "{\"appId\": \"" + app + "\", \"deployments\": [\"staging\", \"production\"]}", 201);
        call(api.acmeToken, "POST", "/v1/apps", "{\"appId\": \"" + app + "\", \"deployments\": [\"staging\"]}", 409);
        call(api.acmeToken, "POST", "/v1/apps", "{\"appId\": \"com.acme.nope\"}", 400);
        call(api.acmeGameOnlyToken, "POST", "/v1/apps", "{\"appId\": \"com.acme.other\", \"deployments\": [\"x\"]}", 403);
        call(api.acmeToken, "GET", "/v1/apps/" + app, null, 200);
        call(api.rivalToken, "GET", "/v1/apps/" + app, null, 404);
        call(api.acmeToken, "POST", "/v1/apps/" + app + "/deployments", "{\"name\": \"beta\"}", 201);
        String release = call(api.acmeToken, "POST", "/v1/apps/" + app + "/releases", """
                {"deployment": "production", "platform": "android", "version": "1.0", "clientVersions": "<100", "fromRequest": "%s",
                 "labels": [{"key": "forceUpdate", "type": "boolean", "value": true}], "notes": "first"}""".formatted(finished), 201)
                .json().get("releaseId").asText();
        String releasePath = "/v1/apps/" + app + "/releases/" + release;
        call(api.acmeToken, "POST", releasePath + "/actions", "{\"action\": \"set-percentage\", \"percentage\": \"12.5\"}", 200);
        call(api.acmeToken, "POST", releasePath + "/actions", "{\"action\": \"start\"}", 200);
        call(api.acmeToken, "POST", releasePath + "/actions", "{\"action\": \"resume\"}", 409);
        call(api.acmeToken, "POST", releasePath + "/actions", "{\"action\": \"explode\"}", 400);
        call(api.acmeToken, "POST", releasePath + "/promote", "{\"deployment\": \"staging\"}", 201);
        call(api.acmeToken, "GET", releasePath, null, 200);
        call(api.acmeToken, "GET", "/v1/apps/" + app + "/releases/999999", null, 404);
        call(api.acmeToken, "GET", "/v1/apps/" + app + "/releases", null, 200);
        call(api.acmeToken, "GET", "/v1/apps/" + app + "/audit?limit=10", null, 200);
        call(api.acmeToken, "GET", "/v1/apps/" + app + "/audit?limit=0", null, 400);

        assertEquals(List.of(), problems, "answers and bodies that do not match the document");
        Set<String> operations = new TreeSet<>();
        contract.document.get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m -> {
            if (!m.equals("parameters")) {
                operations.add(m.toUpperCase() + " " + p.getKey());
            }
        }));
        assertEquals(operations, exercised, "every documented operation was called");
    }

    /** Sends a call, checks its status, and records every way it or its answer departs from the document. */
    private Response call(String token, String method, String path, String body, int status, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(api.uri(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = api.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(status, r.statusCode(), method + " " + path + " -> " + r.body());
        String contentType = r.headers().firstValue("Content-Type").orElse(null);
        JsonNode json = contentType != null && contentType.startsWith("application/json") ? ApiFixture.JSON.readTree(r.body()) : null;
        String pathOnly = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        exercised.add(method + " " + contract.template(pathOnly).orElse(pathOnly));
        problems.addAll(contract.checkResponse(method, pathOnly, r.statusCode(), contentType, json != null ? json
                : r.body().isEmpty() ? null : ApiFixture.JSON.getNodeFactory().textNode(r.body())));
        if (body != null && status < 300) {
            problems.addAll(contract.checkRequest(method, pathOnly, ApiFixture.JSON.readTree(body)));
        }
        if (contentType != null && contentType.startsWith("text/event-stream")) {
            checkEvents(r.body());
        }
        return new Response(r.statusCode(), json, r.body(), r.headers().map());
    }

    /** Each event's data against the schema the document names for its event type. */
    private void checkEvents(String stream) throws Exception {
        JsonNode events = contract.document.at("/paths/~1v1~1jobs~1{id}~1events/get/responses/200/content/text~1event-stream/x-events");
        String name = "message";
        for (String line : stream.lines().toList()) {
            if (line.startsWith("event:")) {
                name = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                JsonNode schema = events.get(name);
                if (schema == null) {
                    problems.add("event '" + name + "' is not documented");
                } else {
                    String ref = schema.get("$ref").asText();
                    problems.addAll(contract.checkSchema(ref.substring(ref.lastIndexOf('/') + 1), ApiFixture.JSON.readTree(line.substring(5).strip())));
                }
            }
        }
    }

    /** A request of acme's, finished as the upload stage would finish it. */
    private String finishedRequest(int channels) throws Exception {
        String id = api.post(api.acmeToken, api.body(channels)).json().get("id").asText();
        RequestStore requests = new RequestStore(TestRedis.client(), Clock.systemUTC(), Duration.ofDays(1));
        for (int i = 0; i < channels; i++) {
            String sha = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest((id + i).getBytes()));
            requests.progress(id, i, Stage.UPLOAD, RequestStore.Outcome.DONE, Map.of("objectKey", "game/" + i + ".apk",
                    "url", "https://cdn.example.com/game/" + i + ".apk", "bytes", 1000 + i, "sha256", sha, "store", "local"), true);
        }
        return id;
    }
}
