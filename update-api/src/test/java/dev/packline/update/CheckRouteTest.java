package dev.packline.update;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.packline.queue.TestRedis;
import dev.packline.releases.LabelType;
import dev.packline.releases.Release;
import dev.packline.releases.ReleaseAction;
import dev.packline.releases.TestReleases;
import dev.packline.releases.redis.RedisReleaseStore;
import dev.packline.releases.rollout.GrayBucket;
import dev.packline.update.UpdateFixture.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

import java.util.ArrayList;
import java.util.List;

import static dev.packline.update.UpdateFixture.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The check routes over real HTTP against a real update API on a real redis-server. */
class CheckRouteTest {
    private static UnifiedJedis redis;
    private static RedisReleaseStore store;
    private static UpdateServer api;
    private static String app;
    private static String key;
    private static Release gray;

    @BeforeAll
    static void setUp() {
        redis = TestRedis.client();
        store = new RedisReleaseStore(redis, java.time.Clock.systemUTC());
        app = TestReleases.uniqueApp("check");
        key = store.createApp(app, "acme", List.of("production"), "alice").deployment("production").orElseThrow().key();
        List<String> channels = List.of("huawei", "xiaomi");
        Release v1 = store.create(TestReleases.apk(app, "production", "1.0", "<200", channels), "alice");
        store.change(app, v1.id(), new ReleaseAction.AddLabel("forceUpdate", LabelType.BOOLEAN, BooleanNode.TRUE), "alice");
        store.change(app, v1.id(), new ReleaseAction.GoFull(), "alice");
        gray = store.create(TestReleases.apk(app, "production", "2.0", "<200", channels), "alice");
        store.change(app, gray.id(), new ReleaseAction.SetBrands(List.of("huawei")), "alice");
        store.change(app, gray.id(), new ReleaseAction.SetPercentage(3000), "alice");
        gray = store.change(app, gray.id(), new ReleaseAction.Start(), "alice");
        Release listed = store.create(TestReleases.apk(app, "production", "3.0", "<200", channels), "alice");
        store.change(app, listed.id(), new ReleaseAction.SetWhitelist(List.of("tester-1")), "alice");
        store.change(app, listed.id(), new ReleaseAction.AddLabel("page", LabelType.NUMBER, IntNode.valueOf(3)), "alice");
        store.change(app, listed.id(), new ReleaseAction.Start(), "alice");
        api = UpdateFixture.start(TestRedis.url(), "");
    }

    @AfterAll
    static void tearDown() {
        api.close();
        redis.close();
    }

    private static String grayClient(boolean in) {
        for (int i = 0; ; i++) {
            if ((GrayBucket.of(gray.rollout().salt(), "c" + i) < 3000) == in) {
                return "c" + i;
            }
        }
    }

    @Test
    void clientsGetWhatTheRolloutSaysOverHttp() throws Exception {
        record Case(String what, String clientId, String brand, String channel, String outcome, String version) {
        }
        for (Case c : List.of(
                new Case("whitelisted", "tester-1", "oppo", "xiaomi", "whitelist", "3.0"),
                new Case("gray cohort with a chosen brand", grayClient(true), "Huawei", "huawei", "gray", "2.0"),
                new Case("gray cohort, brand not chosen", grayClient(true), "vivo", "huawei", "full", "1.0"),
                new Case("outside the percentage", grayClient(false), "huawei", "xiaomi", "full", "1.0"))) {
            Answer a = get(api, "/v1/check?deploymentKey=" + key + "&platform=android&clientVersion=150&clientId=" + c.clientId()
                    + "&brand=" + c.brand() + "&channel=" + c.channel());
            assertEquals(200, a.status(), c.what() + ": " + a.text());
            assertTrue(a.body().get("update").asBoolean(), c.what());
            assertEquals(c.outcome(), a.body().get("outcome").asText(), c.what());
            assertEquals(c.version(), a.body().get("version").asText(), c.what());
            assertEquals(TestReleases.sha256(app + "-" + c.version() + "-" + c.channel() + ".apk"), a.body().get("sha256").asText(),
                    c.what() + ": its own channel's APK");
            assertEquals(TestReleases.md5(app + "-" + c.version() + "-" + c.channel() + ".apk"), a.body().get("sign").asText());
            assertTrue(a.body().get("downloadUrl").asText().endsWith(c.version() + "-" + c.channel() + ".apk"));
        }
        Answer same = get(api, "/v1/check?deploymentKey=" + key + "&platform=android&clientVersion=150&clientId=" + grayClient(true)
                + "&brand=huawei&channel=huawei");
        Answer again = get(api, "/v1/check?deploymentKey=" + key + "&platform=android&clientVersion=150&clientId=" + grayClient(true)
                + "&brand=huawei&channel=huawei");
        assertEquals(same.text(), again.text(), "the same client gets the same answer every time");
    }

    @Test
    void fieldsMayComeAsHeadersAndLabelsAreTyped() throws Exception {
        Answer a = get(api, "/v1/check", "X-Deployment-Key", key, "X-Platform", "android", "X-Client-Version", "150",
                "X-Client-Id", "tester-1", "X-Channel", "huawei");
        assertEquals(200, a.status(), a.text());
        assertEquals("3.0", a.body().get("version").asText());
        assertEquals(3, a.body().get("labels").get("page").asInt());
        assertTrue(a.body().get("labels").get("page").isInt());
        Answer full = get(api, "/v1/check", "X-Deployment-Key", key, "X-Platform", "android", "X-Client-Version", "150", "X-Channel", "huawei");
        assertEquals(BooleanNode.TRUE, full.body().get("labels").get("forceUpdate"));
    }

    @Test
    void upToDateClientsAreToldSo() throws Exception {
        String installed = TestReleases.md5(app + "-1.0-huawei.apk");
        Answer a = get(api, "/v1/check?deploymentKey=" + key + "&platform=android&clientVersion=150&clientId=" + grayClient(false)
                + "&channel=huawei&sign=" + installed);
        assertEquals(200, a.status());
        assertEquals("{\"update\":false}", a.text());
        Answer tooNew = get(api, "/v1/check?deploymentKey=" + key + "&platform=android&clientVersion=300&channel=huawei");
        assertFalse(tooNew.body().get("update").asBoolean());
    }

    @Test
    void theCompatibilityRouteSpeaksTheCommonShape() throws Exception {
        Answer a = get(api, "/v1/compat/check?deploymentKey=" + key + "&platform=android&clientVersion=150&clientId=tester-1&channel=xiaomi");
        assertEquals(0, a.body().get("status").asInt());
        JsonNode data = a.body().get("data");
        assertEquals(TestReleases.md5(app + "-3.0-xiaomi.apk"), data.get("sign").asText());
        assertTrue(data.get("downloadUrl").asText().endsWith("3.0-xiaomi.apk"));
        assertEquals(3, data.get("page").asInt(), "labels are spread into data");
        Answer bad = get(api, "/v1/compat/check?deploymentKey=" + key + "&platform=android");
        assertEquals(400, bad.status());
        assertEquals(1, bad.body().get("status").asInt());
        assertTrue(bad.body().get("msg").asText().contains("clientVersion"), bad.text());
        Answer unknown = get(api, "/v1/compat/check?deploymentKey=dk_nope&platform=android&clientVersion=1");
        assertEquals(404, unknown.status());
        assertEquals(1, unknown.body().get("status").asInt());
    }

    @Test
    void badInputIsAnsweredNeverWithA5xx() throws Exception {
        record Case(String query, int status, List<String> fields) {
        }
        String base = "/v1/check?platform=android&clientVersion=150&deploymentKey=";
        List<Case> cases = new ArrayList<>(List.of(
                new Case("/v1/check", 400, List.of("deploymentKey", "platform", "clientVersion")),
                new Case(base + "dk_unknown", 404, List.of()),
                new Case(base + key + "&clientVersion=1.x", 400, List.of("clientVersion")),
                new Case("/v1/check?deploymentKey=" + key + "&platform=Android!&clientVersion=2.4..1", 400, List.of("platform", "clientVersion")),
                new Case(base + key + "&sign=abc", 400, List.of("sign")),
                new Case(base + key + "&kind=zip", 400, List.of("kind")),
                new Case(base + key + "&clientId=" + "x".repeat(200), 400, List.of("clientId")),
                new Case(base + key + "&brand=evil%E2%80%AEkpa", 400, List.of("brand")),
                new Case(base + key + "&channel=%C0%AFhuawei", 400, List.of("channel")),
                new Case(base + key + "&clientId=caf%C3%A9", 400, List.of("clientId")),
                new Case(base + key + "&channel=a&channel=b", 400, List.of("channel")),
                // a name without '=' is the field given with no value: missing, not a 500 (it was one)
                new Case("/v1/check?platform=android&clientVersion=150&deploymentKey", 400, List.of("deploymentKey")),
                new Case(base + key + "&channel&channel=a&channel=b", 400, List.of("channel")),
                new Case("/v1/check?platform=android&deploymentKey=" + key + "&clientVersion=1.2.3.4.5.6.7", 400, List.of("clientVersion")),
                new Case("/v1/check?platform=android&deploymentKey=" + key + "&clientVersion=1234567890123", 400, List.of("clientVersion")),
                new Case("/v1/check?platform=android&deploymentKey=" + key + "&clientVersion=%D9%A1", 400, List.of("clientVersion")),
                new Case(base + key + "&brand=a%09b", 400, List.of("brand")),
                new Case(base + key + "&clientId=" + "y".repeat(5000), 414, List.of()),
                new Case("/v1/nothing", 404, List.of())));
        for (Case c : cases) {
            Answer a = get(api, c.query());
            assertEquals(c.status(), a.status(), c.query().substring(0, Math.min(80, c.query().length())) + ": " + a.text());
            for (String field : c.fields()) {
                assertTrue(a.body().get("error").get("message").asText().contains(field), field + " named in " + a.text());
            }
            if (c.status() == 400) {
                assertEquals(c.fields().size(), a.body().get("error").get("problems").size(), a.text());
            }
        }
        Answer hugeHeader = get(api, base + key, "X-Brand", "z".repeat(20_000));
        assertTrue(hugeHeader.status() >= 400 && hugeHeader.status() < 500, "oversized headers: " + hugeHeader.status());
        String metrics = get(api, "/metrics").text();
        assertTrue(metrics.contains("packline_update_refused_total{reason=\"invalid_request\",route=\"/v1/check\"}"), metrics);
    }
}
