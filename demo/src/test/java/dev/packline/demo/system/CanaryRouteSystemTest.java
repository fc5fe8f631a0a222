package dev.packline.demo.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.packline.demo.Configs;
import dev.packline.demo.ServiceProcesses;
import dev.packline.demo.Submits;
import dev.packline.packaging.sample.SampleApkBuilder;
import dev.packline.pipeline.RequestRoutes;
import dev.packline.pipeline.Stage;
import dev.packline.queue.JobState;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.redis.Retention;
import dev.packline.queue.upgrade.RouteRule;
import dev.packline.queue.upgrade.RouteStore;
import dev.packline.redis.EmbeddedRedis;
import dev.packline.redis.RedisConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A canary route of 10% by request, applied by a real API process the way {@code bin/packline
 * admin route add --queue package --name canary --to 2 --share 10%} sets it: 200 requests of 3
 * channels each go through the API's HTTP route, and every request's package jobs are all on one
 * version, the one its record names with the rule that chose it.
 *
 * <p>The share: request ids are random, so the number of requests the stable hash puts on version 2
 * is Binomial(200, 0.10): mean 20, standard deviation 4.24. The test accepts 20 ± 4σ (3 to 37),
 * which a correct 10% route misses with probability below 1e-4; a route that sent everything, nothing,
 * or by job instead of by request (which would split requests) fails it. No worker runs: routing is
 * decided when the API enqueues, so the jobs stay where the route put them for the test to read.
 */
class CanaryRouteSystemTest {
    private static final int REQUESTS = 200;
    private static final int CHANNELS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void aTenPercentCanaryTakesAboutATenthOfRequestsWholeAndRecordsTheRule() throws Exception {
        Path home = Path.of("").toAbsolutePath().getParent();
        Path mother = new SampleApkBuilder().sdk(21, 33).payloadBytes(32 * 1024).seed(7)
                .build(Files.createDirectories(dir.resolve("mothers")).resolve("release.apk"));
        try (EmbeddedRedis redis = EmbeddedRedis.start();
             RedisQueueBroker broker = new RedisQueueBroker(RedisConnector.open(redis.url(), 2), redis.url(), Clock.systemUTC(), Retention.DEFAULT, true);
             UnifiedJedis jedis = RedisConnector.open(redis.url(), 2);
             ServiceProcesses services = new ServiceProcesses(home, dir, dir.resolve("logs"))) {
            QueueInspector admin = new QueueInspector(broker, Clock.systemUTC());
            for (Stage stage : Stage.values()) {
                admin.ensureQueue(stage.queueName());
            }
            QueueVersion one = QueueVersion.of(Stage.PACKAGE.queueName(), 1);
            QueueVersion two = admin.newVersion(Stage.PACKAGE.queueName());
            new RouteStore(jedis).put(Stage.PACKAGE.queueName(), RouteRule.parse("canary", 2, null, RouteRule.parseShare("10%"), System.currentTimeMillis()));

            new Configs.WorkerFile(EmbeddedRedis.freePort(), "http://127.0.0.1:9/unused", "whsec_dW51c2VkLXNlY3JldC0xMjM0NTY3ODkw", """
                      local:
                        kind: local
                        path: %s
                    """.formatted(dir.resolve("store"))).write(dir); // the shared pipeline.yml the API reads
            String token = "canary-" + System.nanoTime();
            int port = EmbeddedRedis.freePort();
            Path api = Configs.writeApi(dir, port, Configs.sharedFile(dir), Platform.sha256(token));
            // 200 submits in a few seconds: above the default per-publisher rate, which is not what this test is about
            Files.writeString(api, Files.readString(api).replace("  demo:\n    tokens:", "  demo:\n    limits: {submitsPerMinute: 100000, submitBurst: 1000}\n    tokens:"));
            services.start("api", "producer-api", "dev.packline.api.ApiMain",
                    List.of("--config", api.toString(), "--redis", redis.url(), "--port", Integer.toString(port)), Map.of());
            services.awaitHealthy(URI.create("http://127.0.0.1:" + port + "/healthz"), Duration.ofSeconds(120));

            HttpClient http = HttpClient.newHttpClient();
            List<String> ids = new ArrayList<>();
            for (int r = 0; r < REQUESTS; r++) {
                ObjectNode body = JSON.createObjectNode();
                body.put("appId", "dev.packline.canary");
                body.put("mother", mother.toUri().toString());
                var channels = body.putArray("channels");
                for (int c = 0; c < CHANNELS; c++) {
                    channels.add("canary-" + r + "-" + c);
                }
                body.put("outputStore", "local");
                body.put("outputPrefix", "canary/");
                ids.add(Submits.submit(http, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/jobs"))
                        .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .header("Idempotency-Key", "canary-" + r).POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build()));
            }

            Set<String> onOne = new HashSet<>(broker.jobIds(one, JobState.PENDING, 0, REQUESTS * CHANNELS));
            Set<String> onTwo = new HashSet<>(broker.jobIds(two, JobState.PENDING, 0, REQUESTS * CHANNELS));
            assertEquals(REQUESTS * CHANNELS, onOne.size() + onTwo.size(), "every package job is on version 1 or 2");
            RequestRoutes routes = new RequestRoutes(jedis);
            int canaries = 0;
            for (String id : ids) {
                long jobsOnTwo = java.util.stream.IntStream.range(0, CHANNELS).filter(i -> onTwo.contains(Stage.packageJobId(id, i))).count();
                long jobsOnOne = java.util.stream.IntStream.range(0, CHANNELS).filter(i -> onOne.contains(Stage.packageJobId(id, i))).count();
                assertTrue(jobsOnTwo == CHANNELS && jobsOnOne == 0 || jobsOnOne == CHANNELS && jobsOnTwo == 0,
                        "request " + id + " has all its jobs on one version: " + jobsOnOne + " on 1, " + jobsOnTwo + " on 2");
                RequestRoutes.Decision decision = routes.decision(id, Stage.PACKAGE.queueName()).orElseThrow();
                if (jobsOnTwo == CHANNELS) {
                    canaries++;
                    assertEquals(new RequestRoutes.Decision(2, "canary"), decision, "request " + id + " records the rule that chose it");
                } else {
                    assertEquals(1, decision.version(), "request " + id + " records the version it went to");
                }
            }
            assertTrue(canaries >= 3 && canaries <= 37, canaries + " of " + REQUESTS + " requests on the canary; 10% gives 20 ± 4σ = 3 to 37");
        }
    }
}
