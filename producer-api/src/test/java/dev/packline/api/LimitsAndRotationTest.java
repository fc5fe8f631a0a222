package dev.packline.api;

import dev.packline.api.ApiFixture.Response;
import dev.packline.pipeline.RequestStore;
import dev.packline.pipeline.Stage;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-publisher limits (429 with Retry-After), token rotation by editing the file, and routing to the current queue version. */
class LimitsAndRotationTest {
    @TempDir
    Path temp;

    @Test
    void theSubmitRateIsLimitedPerPublisherWithRetryAfter() throws Exception {
        try (ApiFixture api = new ApiFixture(temp, "submitsPerMinute: 2, submitBurst: 3, maxChannelsInFlight: 0", "")) {
            for (int i = 0; i < 3; i++) {
                assertEquals(202, api.post(api.acmeToken, api.body(1)).status(), "within the burst");
            }
            Response limited = api.post(api.acmeToken, api.body(1));
            assertEquals(429, limited.status(), limited.toString());
            assertEquals("rate_limited", limited.json().get("error").get("reason").asText());
            long retryAfter = Long.parseLong(limited.header("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 30, "one submit every 30 s: " + retryAfter);
            assertEquals(202, api.post(api.rivalToken, api.body(1)).status(), "another publisher has its own allowance");
            assertEquals(3, JobsApiTest.ids(api.get(api.acmeToken, "/v1/jobs").json()).size(), "the refused submit recorded nothing");
        }
    }

    @Test
    void channelsInFlightAreCappedUntilRequestsFinish() throws Exception {
        try (ApiFixture api = new ApiFixture(temp, "submitsPerMinute: 0, maxChannelsInFlight: 10", "")) {
            String first = api.post(api.acmeToken, api.body(6)).json().get("id").asText();
            Response full = api.post(api.acmeToken, api.body(5));
            assertEquals(429, full.status(), full.toString());
            assertEquals("rate_limited", full.json().get("error").get("reason").asText());
            assertTrue(full.json().get("error").get("message").asText().contains("6 channels in flight"), full.toString());
            assertEquals("10", full.header("Retry-After").orElseThrow());
            assertEquals(202, api.post(api.acmeToken, api.body(4)).status(), "what still fits is accepted");

            Response tooBig = api.post(api.acmeToken, api.body(11));
            assertEquals(400, tooBig.status(), "more than the cap can never fit");
            assertEquals("too_many_channels", tooBig.json().get("error").get("reason").asText());

            // workers end the first request's channels: its channels leave the count
            RequestStore store = new RequestStore(TestRedis.client(), Clock.systemUTC(), Duration.ofDays(1));
            for (int i = 0; i < 6; i++) {
                store.progress(first, i, Stage.PACKAGE, RequestStore.Outcome.DEAD, Map.of("error", "bad mother"), true);
            }
            assertEquals("failed", api.get(api.acmeToken, "/v1/jobs/" + first).json().get("state").asText());
            assertEquals(202, api.post(api.acmeToken, api.body(5)).status());
        }
    }

    @Test
    void tokensRotateByEditingTheFileWithoutARestart() throws Exception {
        try (ApiFixture api = new ApiFixture(temp)) {
            assertEquals(200, api.get(api.acmeToken, "/v1/jobs").status());
            String rotated = "rotated-" + System.nanoTime();
            api.writeApiConfig("submitsPerMinute: 6000, submitBurst: 1000, maxChannelsInFlight: 0", "", rotated);
            assertTrue(api.api.reloadConfig());
            assertEquals(401, api.get(api.acmeToken, "/v1/jobs").status(), "the old token is revoked");
            assertEquals(200, api.get(rotated, "/v1/jobs").status(), "the new one works");
            assertEquals(200, api.get(api.rivalToken, "/v1/jobs").status(), "other publishers are untouched");

            java.nio.file.Files.writeString(api.apiYml, "publishers: {broken: yes}\n");
            assertTrue(!api.api.reloadConfig(), "an invalid file changes nothing");
            assertEquals(200, api.get(rotated, "/v1/jobs").status());
        }
    }

    @Test
    void theReloaderPicksUpAChangedFileByItself() throws Exception {
        try (ApiFixture api = new ApiFixture(temp, "submitsPerMinute: 6000, submitBurst: 1000, maxChannelsInFlight: 0", "")) {
            // server.reloadInterval is 5 s by default; the loop checks the file on its own
            String rotated = "rotated-" + System.nanoTime();
            api.writeApiConfig("submitsPerMinute: 6000, submitBurst: 1000, maxChannelsInFlight: 0", "", rotated);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int status = 0;
            while (System.nanoTime() < deadline && (status = api.get(rotated, "/v1/jobs").status()) != 200) {
                Thread.sleep(200);
            }
            assertEquals(200, status, "the new token works once the reloader has run");
        }
    }

    @Test
    void aNewQueueVersionTakesSubmitsTheMomentItIsMadeCurrent() throws Exception {
        try (ApiFixture api = new ApiFixture(temp)) {
            QueueVersion before = api.packageQueue();
            String a = api.post(api.acmeToken, api.body(2)).json().get("id").asText();
            assertEquals(before, api.packageJob(a, 0).orElseThrow().queue());

            QueueVersion next = api.queues.newVersion("package");
            api.queues.setCurrent(next);
            try {
                String b = api.post(api.acmeToken, api.body(2)).json().get("id").asText();
                assertEquals(next, api.packageJob(b, 0).orElseThrow().queue(), "no restart needed");
                assertEquals(next, api.packageJob(b, 1).orElseThrow().queue());
            } finally {
                api.queues.setCurrent(before); // other tests on this Redis expect the earlier version
            }
        }
    }

    @Test
    void aQueueThatRefusesJobsAnswers503AndARetryWithTheSameKeyCompletesTheRequest() throws Exception {
        try (ApiFixture api = new ApiFixture(temp)) {
            QueueVersion before = api.packageQueue();
            Response refused = whileTheCurrentVersionRefusesJobs(api, () -> api.post(api.acmeToken, api.body(3), "flaky-" + System.nanoTime()));
            assertEquals(503, refused.status(), refused.toString());
            assertEquals("internal", refused.json().get("error").get("reason").asText());
            assertTrue(api.get(api.acmeToken, "/v1/jobs").json().get("jobs").isEmpty(), "not listed: it has no jobs");

            String key = "retry-" + System.nanoTime();
            assertEquals(503, whileTheCurrentVersionRefusesJobs(api, () -> api.post(api.acmeToken, api.body(3), key)).status());
            Response retried = api.post(api.acmeToken, api.body(3), key);
            assertEquals(202, retried.status(), retried.toString());
            String id = retried.json().get("id").asText();
            for (int i = 0; i < 3; i++) {
                assertEquals(before, api.packageJob(id, i).orElseThrow().queue(), "the retry enqueued every channel");
            }
            assertEquals(java.util.List.of(id), JobsApiTest.ids(api.get(api.acmeToken, "/v1/jobs").json()), "and it is listed");
        }
    }

    /** Runs the call while a new current version has stopped accepting jobs (as an admin's drain racing the switch leaves it). */
    private static Response whileTheCurrentVersionRefusesJobs(ApiFixture api, java.util.concurrent.Callable<Response> call) throws Exception {
        QueueVersion before = api.packageQueue();
        QueueVersion refusing = api.queues.newVersion("package");
        api.queues.setCurrent(refusing);
        try {
            api.broker.changeState(refusing, dev.packline.queue.QueueBroker.VersionChange.DRAIN, false);
            return call.call();
        } finally {
            api.queues.setCurrent(before);
        }
    }

    @Test
    void healthAnswersWhetherRedisIsReachable() throws Exception {
        ApiConfig config;
        try (ApiFixture api = new ApiFixture(temp)) {
            Response health = api.get(null, "/healthz");
            assertEquals(200, health.status());
            assertEquals("up", health.json().get("redis").asText());
            config = ApiConfig.load(api.apiYml, Map.of());
        }
        // an API whose Redis is gone: healthz says so with 503 and the gauge drops to 0
        try (dev.packline.redis.EmbeddedRedis doomed = dev.packline.redis.EmbeddedRedis.start()) {
            try (ApiServer server = ApiServer.start(config.withRedisUrl(doomed.url()).withPort(0))) {
                var http = java.net.http.HttpClient.newHttpClient();
                var uri = java.net.URI.create("http://127.0.0.1:" + server.port() + "/healthz");
                assertEquals(200, http.send(java.net.http.HttpRequest.newBuilder(uri).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode());
                doomed.stop();
                var down = http.send(java.net.http.HttpRequest.newBuilder(uri).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                assertEquals(503, down.statusCode());
                assertTrue(down.body().contains("\"redis\":\"down\""), down.body());
                String metrics = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                assertTrue(metrics.lines().anyMatch(l -> l.startsWith("packline_redis_up ") && l.endsWith(" 0.0")), "redis_up is 0");
            }
        }
    }
}
