package dev.packline.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.packline.api.ApiConfig;
import dev.packline.api.ApiServer;
import dev.packline.pipeline.RequestStore;
import dev.packline.pipeline.Stage;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.TestRedis;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.redis.RedisConnector;
import dev.packline.settings.Settings;
import dev.packline.update.UpdateConfig;
import dev.packline.update.UpdateServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A publisher's whole release flow across the two apps, over real HTTP on one real Redis: publish a
 * finished request over the producer API as a gray release, see that some clients of the update API
 * get it and others do not (each always the same way), then go full and see every client get its
 * own channel's APK.
 */
class ReleaseFlowTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path temp;

    @Test
    void publishGrayThenFullOverHttp() throws Exception {
        Files.writeString(temp.resolve("worker.yml"), """
                redis: {url: "%s"}
                mothers: {allowedRoots: ["%s"]}
                stores:
                  local: {kind: local, path: "%s"}
                """.formatted(TestRedis.url(), temp, temp.resolve("store")));
        Path mother = Files.write(temp.resolve("game.apk"), new byte[]{'P', 'K', 3, 4});
        String publisher = "flow-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100_000;
        String token = "flow-token-" + System.nanoTime();
        Path apiYml = ApiFiles.apiYml(temp, publisher, token);
        String app = "com.flow." + publisher.replace('-', '.');
        try (RedisQueueBroker broker = TestRedis.broker(Clock.systemUTC()); UnifiedJedis redis = RedisConnector.open(TestRedis.url(), 2)) {
            new QueueInspector(broker, Clock.systemUTC()).ensureQueue(Stage.PACKAGE.queueName());
            try (ApiServer api = ApiServer.start(ApiConfig.load(apiYml, Map.of()));
                 UpdateServer updates = UpdateServer.start(UpdateConfig.read(Settings.parse("update-api.yml", """
                         redis: {url: "%s"}
                         server: {port: 0}
                         logging: {format: console}
                         """.formatted(TestRedis.url()), Map.of())))) {
                JsonNode created = call(api.port(), token, "/v1/apps", "{\"appId\": \"" + app + "\", \"deployments\": [\"production\"]}", 201);
                String key = created.get("deployments").get(0).get("key").asText();
                JsonNode submitted = call(api.port(), token, "/v1/jobs", """
                        {"appId": "%s", "mother": "%s", "channels": ["huawei", "xiaomi"], "format": "walle", "outputStore": "local",
                         "outputPrefix": "flow/"}""".formatted(app, mother.toUri()), 202);
                String request = submitted.get("id").asText();
                RequestStore requests = new RequestStore(redis, Clock.systemUTC(), Duration.ofDays(1));
                for (int i = 0; i < 2; i++) { // what the upload stage records for each channel
                    requests.progress(request, i, Stage.UPLOAD, RequestStore.Outcome.DONE, Map.of("objectKey", "flow/" + i + ".apk",
                            "url", "https://cdn.example.com/flow/" + i + ".apk", "bytes", 100 + i, "sha256", String.valueOf(i).repeat(64),
                            "store", "local"), true);
                }
                JsonNode release = call(api.port(), token, "/v1/apps/" + app + "/releases", """
                        {"deployment": "production", "platform": "android", "version": "2.0", "clientVersions": "<200", "fromRequest": "%s"}
                        """.formatted(request), 201);
                String actions = "/v1/apps/" + app + "/releases/" + release.get("releaseId").asLong() + "/actions";
                call(api.port(), token, actions, "{\"action\": \"set-percentage\", \"percentage\": \"30\"}", 200);
                call(api.port(), token, actions, "{\"action\": \"start\"}", 200);

                int got = 0;
                for (int c = 0; c < 200; c++) {
                    boolean first = update(updates, key, "client-" + c, "huawei");
                    assertEquals(first, update(updates, key, "client-" + c, "huawei"), "the same client, the same answer");
                    got += first ? 1 : 0;
                }
                assertTrue(got > 30 && got < 90, "about 30% of 200 clients get the gray release: " + got);

                call(api.port(), token, actions, "{\"action\": \"full\"}", 200);
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (!update(updates, key, "client-0", "xiaomi") || !update(updates, key, "client-1", "xiaomi")) {
                    assertTrue(System.nanoTime() < deadline, "the update API never saw the release go full");
                    Thread.sleep(20);
                }
                HttpResponse<String> answer = check(updates, key, "client-7", "xiaomi");
                assertTrue(answer.body().contains("\"downloadUrl\":\"https://cdn.example.com/flow/1.apk\""), "its own channel's APK: " + answer.body());
                assertTrue(answer.body().contains("\"outcome\":\"full\""), answer.body());
            }
        }
    }

    private static boolean update(UpdateServer updates, String key, String client, String channel) throws Exception {
        HttpResponse<String> r = check(updates, key, client, channel);
        assertEquals(200, r.statusCode(), r.body());
        return GrafanaFiles.JSON.readTree(r.body()).get("update").asBoolean();
    }

    private static HttpResponse<String> check(UpdateServer updates, String key, String client, String channel) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + updates.port() + "/v1/check?deploymentKey=" + key
                + "&platform=android&clientVersion=150&clientId=" + client + "&channel=" + channel)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode call(int port, String token, String path, String body, int status) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(status, r.statusCode(), path + ": " + r.body());
        return GrafanaFiles.JSON.readTree(r.body());
    }
}
