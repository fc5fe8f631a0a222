package dev.packline.update;

import dev.packline.queue.TestRedis;
import dev.packline.releases.Release;
import dev.packline.releases.ReleaseAction;
import dev.packline.releases.TestReleases;
import dev.packline.releases.redis.RedisReleaseStore;
import dev.packline.update.UpdateFixture.Answer;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

import static dev.packline.update.UpdateFixture.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The update API's own limits on a real server: the per-IP rate limit of the check route
 * ({@code server.checksPerIpSecond}) answers 429 in the error shape past the allowance and lets the
 * next second through; a client that sends half a request line and goes silent is cut within
 * {@code server.headTimeout}.
 */
class ConnectionLimitsTest {

    @Test
    void checksPastThePerIpAllowanceGet429UntilTheNextSecond() throws Exception {
        try (UnifiedJedis redis = TestRedis.client();
             UpdateServer api = UpdateFixture.start(TestRedis.url(), List.of("checksPerIpSecond: 5"), "")) {
            RedisReleaseStore store = new RedisReleaseStore(redis, Clock.systemUTC());
            String app = TestReleases.uniqueApp("ratelimit");
            String key = store.createApp(app, "acme", List.of("production"), "alice").deployment("production").orElseThrow().key();
            Release r = store.create(TestReleases.bundle(app, "production", "1.0", "*"), "alice");
            store.change(app, r.id(), new ReleaseAction.GoFull(), "alice");
            api.cache().reload(true);
            String check = "/v1/check?kind=bundle&platform=android&clientVersion=1&deploymentKey=" + key;
            get(api, check); // a first call sets up the client's connection
            int ok = 0;
            int limited = 0;
            for (int round = 0; round < 5; round++) {
                // start at the beginning of a second, so the 8 calls fall into one window (a loaded machine may need another round)
                Thread.sleep(1000 - System.currentTimeMillis() % 1000 + 20);
                long second = System.currentTimeMillis() / 1000;
                ok = 0;
                limited = 0;
                for (int i = 0; i < 8; i++) {
                    Answer a = get(api, check);
                    if (a.status() == 200) {
                        ok++;
                    } else {
                        assertEquals(429, a.status(), a.text());
                        assertEquals("rate_limited", a.body().get("error").get("reason").asText(), a.text());
                        limited++;
                    }
                }
                if (System.currentTimeMillis() / 1000 == second) {
                    break;
                }
            }
            assertEquals(5, ok, "the allowance is answered");
            assertEquals(3, limited, "calls past it are refused");
            Thread.sleep(1100);
            assertEquals(200, get(api, check).status(), "the next second has a new allowance");
            assertTrue(get(api, "/metrics").text().contains("packline_update_refused_total{reason=\"rate_limited\",route=\"/v1/check\"}"));
        }
    }

    @Test
    void halfARequestLineThenSilenceIsCutWithinTheHeadTimeout() throws Exception {
        try (UpdateServer api = UpdateFixture.start(TestRedis.url(), List.of("headTimeout: 1s"), "");
             Socket s = new Socket("127.0.0.1", api.port())) {
            s.getOutputStream().write("GET /v1/check?deploym".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            long start = System.nanoTime();
            s.setSoTimeout(15_000);
            InputStream in = s.getInputStream();
            try {
                while (in.read() >= 0) {
                    // nothing is expected; read until the close
                }
            } catch (SocketException reset) {
                // a reset is a close too
            } catch (SocketTimeoutException e) {
                fail("the update API kept a silent connection open for 15 s");
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 2_500, "cut only after " + millis + " ms (headTimeout 1s)");
        }
    }
}
