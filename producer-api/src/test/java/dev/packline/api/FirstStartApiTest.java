package dev.packline.api;

import dev.packline.api.auth.Publishers;
import dev.packline.pipeline.Stage;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.redis.Retention;
import dev.packline.redis.EmbeddedRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The API started on an empty redis-server of its own, as in a fresh deployment before any worker
 * or admin ran: it creates version 1 of every pipeline queue, so the first submit is taken (202)
 * instead of answered 503.
 */
class FirstStartApiTest {
    @TempDir
    Path dir;

    @Test
    void theApiOnAnEmptyRedisCreatesThePipelineQueuesAndTakesTheFirstSubmit() throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.start()) {
            Path apks = Files.createDirectories(dir.resolve("apks"));
            Path mother = Files.write(apks.resolve("game-1.0.apk"), new byte[]{'P', 'K', 3, 4});
            Files.writeString(dir.resolve("pipeline.yml"), """
                    mothers:
                      allowedRoots: ["%s"]
                    stores:
                      local: {kind: local, path: "%s"}
                    """.formatted(apks, dir.resolve("store")));
            String token = "first-token-" + System.nanoTime();
            Files.writeString(dir.resolve("api.yml"), """
                    redis:
                      url: %s
                    server: {bind: 127.0.0.1, port: 0}
                    pipeline:
                      shared: pipeline.yml
                    logging:
                      format: console
                    publishers:
                      acme:
                        tokens:
                          ci: {sha256: %s}
                    """.formatted(redis.url(), Publishers.sha256Hex(token)));
            try (ApiServer api = ApiServer.start(ApiConfig.load(dir.resolve("api.yml"), Map.of()));
                 RedisQueueBroker broker = RedisQueueBroker.connect(redis.url(), Clock.systemUTC(), Retention.DEFAULT)) {
                for (Stage stage : Stage.values()) {
                    assertEquals(List.of(QueueVersion.of(stage.queueName(), 1)), broker.versions(stage.queueName()));
                    assertEquals(QueueVersion.of(stage.queueName(), 1), broker.currentVersion(stage.queueName()).orElseThrow());
                }
                String body = """
                        {"appId": "com.acme.game", "mother": "%s", "channels": ["store-1"], "format": "walle",
                         "outputStore": "local", "outputPrefix": "game/1.0/"}
                        """.formatted(mother.toUri());
                HttpResponse<String> submitted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/v1/jobs"))
                        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(202, submitted.statusCode(), submitted.body());
                assertEquals(1, broker.counts(QueueVersion.of("package", 1)).pending(), "the submit's package job is on version 1");
            }
        }
    }
}
