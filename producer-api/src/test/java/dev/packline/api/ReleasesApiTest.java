package dev.packline.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.packline.api.ApiFixture.Response;
import dev.packline.pipeline.RequestStore;
import dev.packline.pipeline.Stage;
import dev.packline.queue.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The release routes over real HTTP: apps, a release from a finished request, rollout actions, tenancy, bad bodies. */
class ReleasesApiTest {
    @TempDir
    Path temp;
    ApiFixture api;
    UnifiedJedis redis;

    @BeforeEach
    void start() throws Exception {
        api = new ApiFixture(temp);
        redis = TestRedis.client();
    }

    @AfterEach
    void stop() {
        api.close();
        redis.close();
    }

    private Response send(String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(api.uri(path)).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        return api.send(b.build());
    }

    /** Submits a request of {@code channels} channels for {@code app} and finishes it as the upload stage would. */
    private String finishedRequest(String app, int channels) throws Exception {
        Response submitted = api.post(api.acmeToken, api.body(channels).replace("com.acme.game", app));
        assertEquals(202, submitted.status(), submitted.text());
        String id = submitted.json().get("id").asText();
        RequestStore requests = new RequestStore(redis, Clock.systemUTC(), Duration.ofDays(1));
        for (int i = 0; i < channels; i++) {
            String sha = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest((id + i).getBytes()));
            requests.progress(id, i, Stage.UPLOAD, RequestStore.Outcome.DONE, Map.of("objectKey", "game/" + i + ".apk",
                    "url", "https://cdn.example.com/game/" + i + ".apk", "bytes", 1000 + i, "sha256", sha, "store", "local"), true);
        }
        return id;
    }

    @Test
    void aPublisherMakesARequestIntoAReleaseAndRollsItOut() throws Exception {
        String app = "com.acme." + TestRedis.uniqueQueue("rel").replace('-', '.');
        Response created = send(api.acmeToken, "POST", "/v1/apps", "{\"appId\": \"" + app + "\", \"deployments\": [\"staging\", \"production\"]}");
        assertEquals(201, created.status(), created.text());
        assertTrue(created.json().get("deployments").get(1).get("key").asText().startsWith("dk_"));

        String request = finishedRequest(app, 4);
        Response release = send(api.acmeToken, "POST", "/v1/apps/" + app + "/releases", """
                {"deployment": "production", "platform": "android", "version": "1.0", "clientVersions": "<100", "fromRequest": "%s",
                 "labels": [{"key": "forceUpdate", "type": "boolean", "value": true}], "notes": "first"}""".formatted(request));
        assertEquals(201, release.status(), release.text());
        JsonNode artifacts = release.json().get("artifacts");
        assertEquals(4, artifacts.size(), "one artifact per channel");
        assertTrue(artifacts.has("华为-0") && artifacts.has("store-1"), artifacts.toString());
        assertEquals("https://cdn.example.com/game/1.apk", artifacts.get("store-1").get("url").asText());
        assertEquals("draft", release.json().get("state").asText());
        long id = release.json().get("releaseId").asLong();
        String actions = "/v1/apps/" + app + "/releases/" + id + "/actions";

        record Step(String body, int status, String state) {
        }
        for (Step s : List.of(
                new Step("{\"action\": \"set-percentage\", \"percentage\": \"12.5\"}", 200, "draft"),
                new Step("{\"action\": \"set-brands\", \"brands\": [\"Huawei\", \"xiaomi\"]}", 200, "draft"),
                new Step("{\"action\": \"set-whitelist\", \"clientIds\": [\"qa-1\", \"qa-2\"]}", 200, "draft"),
                new Step("{\"action\": \"start\"}", 200, "rolling_out"),
                new Step("{\"action\": \"resume\"}", 409, null),
                new Step("{\"action\": \"set-percentage\", \"percentage\": \"0.001\"}", 400, null),
                new Step("{\"action\": \"set-percentage\"}", 400, null),
                new Step("{\"action\": \"explode\"}", 400, null),
                new Step("{\"action\": \"start\", \"extra\": 1}", 400, null),
                new Step("{\"action\": \"pause\"}", 200, "paused"),
                new Step("{\"action\": \"full\"}", 200, "full"))) {
            Response r = send(api.acmeToken, "POST", actions, s.body());
            assertEquals(s.status(), r.status(), s.body() + " -> " + r.text());
            if (s.state() != null) {
                assertEquals(s.state(), r.json().get("state").asText(), s.body());
            }
        }
        Response shown = send(api.acmeToken, "GET", "/v1/apps/" + app + "/releases/" + id, null);
        assertEquals("12.5%", shown.json().get("percentage").asText());
        assertEquals(List.of("huawei", "xiaomi"), List.of(shown.json().get("brands").get(0).asText(), shown.json().get("brands").get(1).asText()));
        assertEquals(0, shown.json().get("reports").get("installed").get("reports").asInt());
        Response promoted = send(api.acmeToken, "POST", "/v1/apps/" + app + "/releases/" + id + "/promote", "{\"deployment\": \"staging\"}");
        assertEquals(201, promoted.status(), promoted.text());
        assertEquals(id, promoted.json().get("promotedFrom").asLong());
        Response audit = send(api.acmeToken, "GET", "/v1/apps/" + app + "/audit?limit=3", null);
        assertEquals(3, audit.json().get("audit").size());
        for (String limit : List.of("abc", "0", "1001", "%2B5", "%D9%A5", "")) {
            Response refused = send(api.acmeToken, "GET", "/v1/apps/" + app + "/audit?limit=" + limit, null);
            assertEquals(400, refused.status(), "limit=" + limit + ": " + refused.text());
            assertTrue(refused.text().contains("limit"), refused.text());
        }
        assertEquals("promote", audit.json().get("audit").get(0).get("action").asText());
        assertTrue(audit.json().get("audit").get(1).get("actor").asText().startsWith(api.acme + "/ci"));
        Response list = send(api.acmeToken, "GET", "/v1/apps/" + app + "/releases", null);
        assertEquals(2, list.json().get("releases").size());
    }

    @Test
    void aPublisherManagesOnlyItsOwnApps() throws Exception {
        String app = "com.acme." + TestRedis.uniqueQueue("own").replace('-', '.');
        assertEquals(201, send(api.acmeToken, "POST", "/v1/apps", "{\"appId\": \"" + app + "\", \"deployments\": [\"production\"]}").status());
        String request = finishedRequest(app, 2);
        String release = """
                {"deployment": "production", "platform": "android", "version": "1.0", "clientVersions": "*", "fromRequest": "%s"}
                """.formatted(request);
        for (String path : List.of("/v1/apps/" + app, "/v1/apps/" + app + "/releases", "/v1/apps/" + app + "/audit")) {
            assertEquals(404, send(api.rivalToken, "GET", path, null).status(), path);
        }
        assertEquals(404, send(api.rivalToken, "POST", "/v1/apps/" + app + "/releases", release).status());
        assertEquals(404, send(api.acmeGameOnlyToken, "GET", "/v1/apps/" + app, null).status(), "an app-limited token sees only its apps");
        assertEquals(403, send(api.acmeGameOnlyToken, "POST", "/v1/apps", "{\"appId\": \"" + app + "x\", \"deployments\": []}").status());
        String rivalApp = "com.rival." + TestRedis.uniqueQueue("own").replace('-', '.');
        assertEquals(201, send(api.rivalToken, "POST", "/v1/apps", "{\"appId\": \"" + rivalApp + "\", \"deployments\": [\"production\"]}").status());
        Response stolen = send(api.rivalToken, "POST", "/v1/apps/" + rivalApp + "/releases", release);
        assertEquals(404, stolen.status(), "another publisher's request cannot be released: " + stolen.text());
        assertEquals(409, send(api.rivalToken, "POST", "/v1/apps", "{\"appId\": \"" + app + "\", \"deployments\": [\"production\"]}").status());
        assertEquals(401, send("wrong-token", "GET", "/v1/apps/" + app, null).status());
    }

    @Test
    void badReleaseBodiesNameEveryProblem() throws Exception {
        String app = "com.acme." + TestRedis.uniqueQueue("badrel").replace('-', '.');
        assertEquals(201, send(api.acmeToken, "POST", "/v1/apps", "{\"appId\": \"" + app + "\", \"deployments\": [\"production\"]}").status());
        Response r = send(api.acmeToken, "POST", "/v1/apps/" + app + "/releases", "{\"platform\": 3, \"mandatory\": \"yes\", \"colour\": \"red\"}");
        assertEquals(400, r.status());
        for (String field : List.of("deployment", "platform", "version", "clientVersions", "mandatory", "colour", "fromRequest")) {
            assertTrue(r.json().get("error").get("message").asText().contains(field), field + " in " + r.text());
        }
        Response bundle = send(api.acmeToken, "POST", "/v1/apps/" + app + "/releases", """
                {"deployment": "production", "platform": "android", "kind": "bundle", "version": "2.4.1", "clientVersions": "2.4.x",
                 "artifacts": {"*": {"url": "https://cdn.example.com/b.zip", "size": 10, "sha256": "%s", "md5": "%s"}}}
                """.formatted("a".repeat(64), "b".repeat(32)));
        assertEquals(201, bundle.status(), bundle.text());
        assertEquals("bundle", bundle.json().get("kind").asText());
        Response notDone = send(api.acmeToken, "POST", "/v1/apps/" + app + "/releases", """
                {"deployment": "production", "platform": "android", "version": "1", "clientVersions": "*", "fromRequest": "%s"}
                """.formatted(api.post(api.acmeToken, api.body(1).replace("com.acme.game", app)).json().get("id").asText()));
        assertEquals(400, notDone.status(), notDone.text());
        assertTrue(notDone.text().contains("queued"), notDone.text());
    }
}
