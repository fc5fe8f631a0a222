package dev.packline.update;

import com.fasterxml.jackson.databind.JsonNode;
import dev.packline.http.input.fuzz.RawHttp;
import dev.packline.http.input.fuzz.RawHttp.Answer;
import dev.packline.http.input.fuzz.RedisWrites;
import dev.packline.queue.TestRedis;
import dev.packline.releases.Release;
import dev.packline.releases.ReleaseAction;
import dev.packline.releases.TestReleases;
import dev.packline.releases.redis.RedisReleaseStore;
import dev.packline.update.fuzz.HostileCalls;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Malformed calls of the check, compatibility and report routes generated from a seed
 * ({@link HostileCalls}), sent over raw sockets (http-input's shared {@link RawHttp}) to a real
 * update API on a real Redis. For every one: an answer before the deadline (then the connection
 * closed, when the framing cannot be trusted); a 4xx in the route's error shape or a documented 2xx; never a 5xx;
 * and a refusal wrote nothing to Redis (every key and its DUMPed value, type included, compared
 * before and after the call: http-input's shared {@link RedisWrites}). The seed is fixed
 * ({@value #DEFAULT_SEED}) and the cases bounded so CI runs the same ones;
 * {@code bin/packline fuzz update --cases N --seed S} runs more.
 */
class UpdateFuzzTest {
    static final long DEFAULT_SEED = 20261205L;
    static final int DEFAULT_CASES = 300;
    private static final Duration DEADLINE = Duration.ofSeconds(15);

    @Test
    void noHostileCallGetsA5xxAHangOrAWrite() throws Exception {
        long seed = Long.getLong("packline.fuzz.seed", DEFAULT_SEED);
        int cases = Integer.getInteger("packline.fuzz.cases", DEFAULT_CASES);
        try (UnifiedJedis redis = TestRedis.client(); UpdateServer api = UpdateFixture.start(TestRedis.url(), "")) {
            RedisReleaseStore store = new RedisReleaseStore(redis, Clock.systemUTC());
            String app = TestReleases.uniqueApp("fuzz");
            String key = store.createApp(app, "acme", List.of("production"), "alice").deployment("production").orElseThrow().key();
            Release r = store.create(TestReleases.apk(app, "production", "2.0", "<200", List.of("huawei")), "alice");
            store.change(app, r.id(), new ReleaseAction.GoFull(), "alice");
            api.cache().reload(true);
            HostileCalls calls = new HostileCalls(seed, "deploymentKey=" + key + "&platform=android&clientVersion=105&clientId=c1&brand=huawei"
                    + "&channel=huawei&sign=" + "0".repeat(32), "{\"deploymentKey\": \"" + key + "\", \"releaseId\": " + r.id()
                    + ", \"event\": \"downloaded\", \"clientId\": \"c1\"}");
            Map<String, Integer> statuses = new TreeMap<>();
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < cases && failures.size() < 20; i++) {
                HostileCalls.Call c = calls.next();
                RedisWrites before = RedisWrites.snapshot(redis);
                Answer answer = RawHttp.exchange(api.port(), c.request(), c.halfClose(), DEADLINE, c.closes());
                statuses.merge(answer.status() + " " + c.mutation().replaceAll("[0-9]+", "N").replaceAll("=.*", "=..."), 1, Integer::sum);
                String failure = judge(c, answer);
                if (failure == null && answer.status() >= 400) {
                    String writes = RedisWrites.snapshot(redis).since(before);
                    failure = writes == null ? null : "a refusal wrote to Redis: " + writes;
                }
                if (failure != null) {
                    failures.add(failure + ": seed " + seed + ", case " + c.show() + "\n  answer: " + answer
                            + "\n  rerun: bin/packline fuzz update --seed " + seed + " --cases " + (c.index() + 1));
                }
            }
            System.out.println("fuzz update: seed " + seed + ", " + cases + " cases; counts of status and mutation:");
            statuses.forEach((k, v) -> System.out.println("  " + v + "\t" + k));
            if (!failures.isEmpty()) {
                fail(failures.size() + " hostile calls were not refused cleanly (seed " + seed + "):\n" + String.join("\n", failures));
            }
        }
    }

    private static String judge(HostileCalls.Call c, Answer answer) {
        if (answer.ending() != RawHttp.Ending.ANSWERED) {
            return "no answer (" + answer.ending() + " after " + answer.millis() + " ms)";
        }
        if (!answer.closedAfter()) {
            return "the connection stayed open (or a second answer came) after refusing framing that cannot be trusted";
        }
        if (answer.status() == 200 || answer.status() == 202) {
            return null;
        }
        if (answer.status() < 400 || answer.status() >= 500) {
            return "neither a 4xx nor a documented 2xx";
        }
        String type = answer.header("content-type");
        if (type == null || !type.startsWith("application/json")) {
            return "a refusal without a JSON body";
        }
        JsonNode body;
        try {
            body = UpdateFixture.JSON.readTree(answer.body());
        } catch (Exception e) {
            return "a refusal whose body is not JSON";
        }
        boolean compatible = c.mutation().startsWith("/v1/compat/check") && answer.status() != 414 && answer.status() != 431
                && !body.has("error"); // the web server's own refusals come before any route, in the native shape
        if (compatible) {
            return body.path("status").asInt() == 1 && body.path("msg").isTextual() ? null : "the compatibility route's error is not {status: 1, msg}";
        }
        JsonNode error = body.path("error");
        if (error.path("status").asInt() != answer.status() || !error.path("reason").isTextual() || !error.path("message").isTextual()) {
            return "the error body is not the documented shape";
        }
        return null;
    }
}
