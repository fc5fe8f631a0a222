package dev.packline.update;

import dev.packline.redis.EmbeddedRedis;
import dev.packline.redis.RedisConnector;
import dev.packline.releases.Release;
import dev.packline.releases.ReleaseAction;
import dev.packline.releases.TestReleases;
import dev.packline.releases.redis.RedisReleaseStore;
import dev.packline.update.UpdateFixture.Answer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.packline.update.UpdateFixture.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several instances on one real redis-server (its own, so the test can kill it): a rollout change
 * reaches every instance, and checks keep being answered while Redis is down and after it returns.
 */
class RefreshAndOutageTest {

    @Test
    void instancesRefreshTogetherAndKeepAnsweringThroughARedisRestart(@TempDir Path dir) throws Exception {
        int port = EmbeddedRedis.freePort();
        List<String> durable = List.of("appendonly yes", "appendfsync always");
        EmbeddedRedis redisServer = EmbeddedRedis.start(port, durable, dir);
        UnifiedJedis redis = RedisConnector.open(redisServer.url(), 4);
        List<UpdateServer> instances = List.of(UpdateFixture.start(redisServer.url(), ""), UpdateFixture.start(redisServer.url(), ""),
                UpdateFixture.start(redisServer.url(), ""));
        try {
            RedisReleaseStore store = new RedisReleaseStore(redis, Clock.systemUTC());
            String key = store.createApp("refresh-app", "acme", List.of("production"), "alice").deployment("production").orElseThrow().key();
            Release r = store.create(TestReleases.bundle("refresh-app", "production", "1.0", "*"), "alice");
            store.change("refresh-app", r.id(), new ReleaseAction.SetWhitelist(List.of("early")), "alice");
            store.change("refresh-app", r.id(), new ReleaseAction.Start(), "alice");
            String check = "/v1/check?kind=bundle&deploymentKey=" + key + "&platform=android&clientVersion=3&clientId=anyone";
            for (UpdateServer s : instances) {
                waitFor(s, check, false);
            }
            store.change("refresh-app", r.id(), new ReleaseAction.GoFull(), "alice");
            for (UpdateServer s : instances) {
                waitFor(s, check, true); // announced over pub/sub: each instance answers with the change
            }

            // Redis dies: every instance keeps answering from its snapshot, and says it is stale
            AtomicInteger answered = new AtomicInteger();
            AtomicInteger wrong = new AtomicInteger();
            AtomicReference<Boolean> running = new AtomicReference<>(true);
            Thread checker = Thread.ofVirtual().start(() -> {
                while (running.get()) {
                    for (UpdateServer s : instances) {
                        try {
                            Answer a = get(s, check);
                            if (a.status() == 200 && a.body().get("update").asBoolean()) {
                                answered.incrementAndGet();
                            } else {
                                wrong.incrementAndGet();
                            }
                        } catch (Exception e) {
                            wrong.incrementAndGet();
                        }
                    }
                }
            });
            redisServer.stop();
            Thread.sleep(1500);
            Answer health = get(instances.get(0), "/healthz");
            assertEquals("stale", health.body().get("status").asText(), health.text());
            assertTrue(health.body().get("snapshotAgeSeconds").asDouble() >= 1.0);
            assertTrue(get(instances.get(1), "/metrics").text().contains("packline_update_snapshot_age_seconds"));
            int duringOutage = answered.get();
            assertTrue(duringOutage > 0, "checks answered while Redis was down");

            redisServer = EmbeddedRedis.start(port, durable, dir);
            // a change made while an instance may have missed the announcement: the poller repairs it
            // (the publisher's pooled connections died with the server: its first call fails and it retries, as a CI would)
            ReleaseAction label = new ReleaseAction.AddLabel("after", dev.packline.releases.LabelType.STRING,
                    com.fasterxml.jackson.databind.node.TextNode.valueOf("restart"));
            for (int attempt = 0; ; attempt++) {
                try {
                    store.change("refresh-app", r.id(), label, "alice");
                    break;
                } catch (dev.packline.redis.RedisUnavailableException e) {
                    assertTrue(attempt < 5, "Redis did not come back: " + e.getMessage());
                }
            }
            for (UpdateServer s : instances) {
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (!get(s, check).text().contains("\"after\":\"restart\"")) {
                    assertTrue(System.nanoTime() < deadline, "instance on port " + s.port() + " never saw the change made after the restart");
                    Thread.sleep(50);
                }
                assertEquals("ok", get(s, "/healthz").body().get("status").asText());
            }
            running.set(false);
            checker.join();
            assertEquals(0, wrong.get(), "no check went unanswered or wrong through the outage");
            assertTrue(answered.get() > duringOutage);
        } finally {
            for (UpdateServer s : instances) {
                s.close();
            }
            redis.close();
            redisServer.close();
        }
    }

    private static void waitFor(UpdateServer s, String check, boolean update) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (get(s, check).body().get("update").asBoolean() != update) {
            assertTrue(System.nanoTime() < deadline, "instance on port " + s.port() + " did not answer update=" + update);
            Thread.sleep(10);
        }
    }
}
