package dev.packline.update;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.packline.queue.TestRedis;
import dev.packline.releases.InstallEvent;
import dev.packline.releases.Release;
import dev.packline.releases.ReleaseAction;
import dev.packline.releases.ReleaseState;
import dev.packline.releases.TestReleases;
import dev.packline.releases.redis.InstallReports;
import dev.packline.releases.redis.RedisReleaseStore;
import dev.packline.update.UpdateFixture.Answer;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.packline.update.UpdateFixture.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Client reports over real HTTP: counted per release with distinct clients, and the automatic pause with its alert. */
class ReportTest {

    @Test
    void reportsAreCountedAndAFailingGrayReleaseIsPausedOnceWithAnAlert() throws Exception {
        BlockingQueue<String> alerts = new LinkedBlockingQueue<>();
        HttpServer slack = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        slack.createContext("/hook", exchange -> {
            alerts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("ok".getBytes(StandardCharsets.UTF_8));
            exchange.close();
        });
        slack.start();
        String notifications = """
                autoPause:
                  failurePercent: 25
                  minInstalls: 8
                notifications:
                  oncall: {kind: slack, url: "http://127.0.0.1:%d/hook"}
                """.formatted(slack.getAddress().getPort());
        try (UnifiedJedis redis = TestRedis.client(); UpdateServer one = UpdateFixture.start(TestRedis.url(), notifications);
             UpdateServer two = UpdateFixture.start(TestRedis.url(), notifications)) {
            RedisReleaseStore store = new RedisReleaseStore(redis, Clock.systemUTC());
            String app = TestReleases.uniqueApp("report");
            String key = store.createApp(app, "acme", List.of("production"), "alice").deployment("production").orElseThrow().key();
            Release r = store.create(TestReleases.bundle(app, "production", "5.0", "*"), "alice");
            store.change(app, r.id(), new ReleaseAction.SetPercentage(1000), "alice");
            store.change(app, r.id(), new ReleaseAction.Start(), "alice");
            one.cache().reload(true);
            two.cache().reload(true);

            // 6 installs and 1 failure: under the threshold even once past the minimum
            for (int i = 0; i < 6; i++) {
                assertEquals(202, report(i % 2 == 0 ? one : two, key, r.id(), "installed", "client-" + i, null).status());
            }
            assertEquals(202, report(one, key, r.id(), "installed", "client-0", null).status(), "a client may report twice");
            assertEquals(202, report(two, key, r.id(), "failed", "client-7", "verify_failed").status());
            assertEquals(ReleaseState.ROLLING_OUT, store.release(app, r.id()).orElseThrow().state());
            // 3 more failures, spread over both instances: 4 of 11 is past 25%
            for (int i = 8; i < 11; i++) {
                assertEquals(202, report(i % 2 == 0 ? one : two, key, r.id(), "failed", "client-" + i, "disk_full").status());
            }
            Release paused = store.release(app, r.id()).orElseThrow();
            assertEquals(ReleaseState.PAUSED, paused.state());
            assertEquals("auto-pause", store.audit(app, 1).get(0).action());
            String alert = alerts.poll(10, TimeUnit.SECONDS);
            assertNotNull(alert, "an alert reached the notification channel");
            assertTrue(alert.contains("Rollout paused") && alert.contains(app), alert);
            assertNull(alerts.poll(1, TimeUnit.SECONDS), "one alert, however many instances saw the failures");

            var tallies = new InstallReports(redis).tallies(r.id());
            assertEquals(7, tallies.get(InstallEvent.INSTALLED).reports());
            assertEquals(6, tallies.get(InstallEvent.INSTALLED).clients(), "distinct clients");
            assertEquals(4, tallies.get(InstallEvent.FAILED).reports());
            assertEquals(java.util.Map.of("verify_failed", 1L, "disk_full", 3L), new InstallReports(redis).failureReasons(r.id()));
            String metrics = UpdateFixture.get(one, "/metrics").text();
            assertTrue(metrics.contains("packline_update_reports_total{event=\"installed\"}"), metrics);
            int pauses = 0;
            for (UpdateServer s : List.of(one, two)) {
                String m = UpdateFixture.get(s, "/metrics").text();
                pauses += m.contains("packline_update_auto_pauses_total{app=\"" + app + "\"} 1.0") ? 1 : 0;
            }
            assertEquals(1, pauses, "one instance paused it");
        } finally {
            slack.stop(0);
        }
    }

    @Test
    void badReportsAreRefusedByField() throws Exception {
        try (UnifiedJedis redis = TestRedis.client(); UpdateServer api = UpdateFixture.start(TestRedis.url(), "")) {
            RedisReleaseStore store = new RedisReleaseStore(redis, Clock.systemUTC());
            String app = TestReleases.uniqueApp("badreport");
            String key = store.createApp(app, "acme", List.of("production"), "alice").deployment("production").orElseThrow().key();
            Release r = store.create(TestReleases.bundle(app, "production", "1.0", "*"), "alice");
            store.change(app, r.id(), new ReleaseAction.GoFull(), "alice");
            api.cache().reload(true);
            record Case(String body, int status, List<String> fields) {
            }
            for (Case c : List.of(
                    new Case("", 400, List.of()),
                    new Case("[1]", 400, List.of()),
                    new Case("{\"deploymentKey\": \"" + key + "\"", 400, List.of()),
                    new Case("{}", 400, List.of("deploymentKey", "releaseId", "event")),
                    new Case("{\"deploymentKey\": \"" + key + "\", \"releaseId\": \"7\", \"event\": \"exploded\", \"extra\": 1}", 400,
                            List.of("releaseId", "event", "extra")),
                    new Case("{\"deploymentKey\": \"" + key + "\", \"releaseId\": 1, \"event\": \"installed\", \"event\": \"failed\"}", 400, List.of()),
                    new Case("{\"deploymentKey\": \"" + key + "\", \"releaseId\": " + r.id() + ", \"event\": \"installed\", \"reason\": \"x\"}", 400,
                            List.of("reason")),
                    new Case("{\"deploymentKey\": \"dk_nope\", \"releaseId\": 1, \"event\": \"installed\"}", 404, List.of()),
                    new Case("{\"deploymentKey\": \"" + key + "\", \"releaseId\": 999999999, \"event\": \"installed\"}", 404, List.of()),
                    new Case("{\"deploymentKey\": \"" + key + "\", \"releaseId\": " + r.id() + ", \"event\": \"downloaded\", \"clientId\": \""
                            + "x".repeat(20_000) + "\"}", 413, List.of()))) {
                Answer a = post(api, "/v1/report", c.body());
                assertEquals(c.status(), a.status(), c.body().substring(0, Math.min(80, c.body().length())) + " -> " + a.text());
                JsonNode error = a.body().get("error");
                for (String field : c.fields()) {
                    assertTrue(error.get("message").asText().contains(field), field + " in " + a.text());
                }
            }
        }
    }

    private static Answer report(UpdateServer api, String key, long release, String event, String clientId, String reason) throws Exception {
        return post(api, "/v1/report", "{\"deploymentKey\": \"" + key + "\", \"releaseId\": " + release + ", \"event\": \"" + event
                + "\", \"clientId\": \"" + clientId + "\"" + (reason == null ? "" : ", \"reason\": \"" + reason + "\"") + "}");
    }
}
