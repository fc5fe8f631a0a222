package dev.packline.queue.upgrade;

import dev.packline.queue.Enqueued;
import dev.packline.queue.NewJob;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueStateException;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestClock;
import dev.packline.queue.TestRedis;
import dev.packline.queue.redis.RedisQueueBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Routing rules on a real Redis: stable shares by request, feature matches, pick-up by polling, fallback. */
class RoutingTest {
    private final TestClock clock = new TestClock();
    private RedisQueueBroker broker;
    private UnifiedJedis redis;
    private QueueInspector inspector;
    private RouteStore store;
    private String name;
    private QueueVersion v1;
    private QueueVersion v2;

    @BeforeEach
    void setUp() {
        broker = TestRedis.broker(clock);
        redis = TestRedis.client();
        inspector = new QueueInspector(broker, clock);
        store = new RouteStore(redis);
        name = TestRedis.uniqueQueue("route");
        v1 = inspector.ensureQueue(name);
        v2 = inspector.newVersion(name);
    }

    @AfterEach
    void tearDown() {
        store.remove(name, "*");
        for (QueueVersion v : broker.versions(name)) {
            broker.obliterate(v, true);
        }
        broker.close();
        redis.close();
    }

    private RoutedClient client(Duration poll) {
        return new RoutedClient(new QueueClient(broker), new RouteTable(store, clock, poll));
    }

    private static RouteRequest request(String id, Map<String, String> features) {
        return new RouteRequest(id, features);
    }

    private static List<NewJob> channels(String request, int count) {
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            jobs.add(NewJob.of("{\"channel\":" + i + "}").withId("pkg:" + request + ":" + i));
        }
        return jobs;
    }

    @Test
    void aTenPercentCanaryByRequestSendsAboutATenthOfRequestsWholeToTheNewVersion() {
        store.put(name, RouteRule.parse("canary", 2, null, RouteRule.parseShare("10%"), clock.millis()));
        RoutedClient client = client(Duration.ofSeconds(2));

        // 1,000 requests of 5 channel jobs each, enqueued for real
        int requests = 1000;
        int routed = 0;
        for (int r = 0; r < requests; r++) {
            RoutedClient.Routed result = client.enqueueBatch(name, request("req-" + r, Map.of()), channels("req-" + r, 5));
            Set<QueueVersion> versions = result.jobs().stream().map(Enqueued::queue).collect(Collectors.toSet());
            assertEquals(Set.of(result.version()), versions, "every job of a request on one version");
            assertEquals(result.version().equals(v2) ? "canary" : RoutedClient.CURRENT, result.rule());
            routed += result.version().equals(v2) ? 1 : 0;
        }
        assertEquals(routed * 5L, broker.counts(v2).pending());
        assertEquals((requests - routed) * 5L, broker.counts(v1).pending());
        // tolerance: 10% +- 2.5 points over 1,000 requests (the binomial standard deviation is 0.95 points)
        assertTrue(routed >= 75 && routed <= 125, routed + " of " + requests + " requests routed");

        // the share of decisions over 100,000 request ids, within 10% +- 0.3 points (3.2 standard deviations)
        RouteTable table = new RouteTable(store, clock, Duration.ofSeconds(2));
        long canary = 0;
        for (int r = 0; r < 100_000; r++) {
            canary += table.decide(name, request("id-" + r, Map.of())).isPresent() ? 1 : 0;
        }
        assertTrue(Math.abs(canary - 10_000) <= 300, canary + " of 100000 routed");

        // a resubmitted request lands where it did; raising the share keeps the requests already routed
        RouteRule wider = RouteRule.parse("canary", 2, null, RouteRule.parseShare("50%"), clock.millis());
        for (int r = 0; r < 1000; r++) {
            RouteRequest req = request("id-" + r, Map.of());
            if (new RouteRule("canary", 2, null, null, List.of(), 1000, 0).routes(req)) {
                assertTrue(wider.routes(req), "id-" + r + " left the canary when the share grew");
            }
        }
    }

    @Test
    void aFeatureRuleRoutesOneAppAndRequestSizeAndOthersStayOnTheCurrentVersion() {
        store.put(name, RouteRule.parse("app-a", 2, "appId=com.a,com.b", RouteRule.ALL, clock.millis()));
        store.put(name, RouteRule.parse("big", 2, "channels>=500", RouteRule.ALL, clock.millis() + 1));
        RoutedClient client = client(Duration.ofSeconds(2));

        assertEquals(v2, client.enqueueBatch(name, request("r1", Map.of("appId", "com.b", "channels", "3")), channels("r1", 3)).version());
        RoutedClient.Routed other = client.enqueueBatch(name, request("r2", Map.of("appId", "com.c", "channels", "3")), channels("r2", 3));
        assertEquals(v1, other.version());
        assertEquals(RoutedClient.CURRENT, other.rule());
        RoutedClient.Routed big = client.enqueueBatch(name, request("r3", Map.of("appId", "com.c", "channels", "800")), channels("r3", 2));
        assertEquals(v2, big.version());
        assertEquals("big", big.rule());
        assertEquals(List.of("app-a", "big"), store.read(name).rules().stream().map(RouteRule::id).toList(), "oldest first");
    }

    @Test
    void changesArePickedUpWithinThePollIntervalAndADrainedTargetFallsBackToCurrent() {
        RoutedClient client = client(Duration.ofSeconds(2));
        assertEquals(v1, client.enqueueBatch(name, request("a", Map.of()), channels("a", 1)).version());

        store.put(name, RouteRule.parse("all", 2, null, RouteRule.ALL, clock.millis()));
        assertEquals(v1, client.enqueueBatch(name, request("b", Map.of()), channels("b", 1)).version(), "within the poll interval");
        clock.advance(Duration.ofSeconds(2));
        assertEquals(v2, client.enqueueBatch(name, request("c", Map.of()), channels("c", 1)).version(), "picked up, no restart");

        inspector.markDraining(v2);
        RoutedClient.Routed fallback = client.enqueueBatch(name, request("d", Map.of()), channels("d", 1));
        assertEquals(v1, fallback.version());
        assertTrue(fallback.rule().startsWith("current (all: "), fallback.rule());

        assertEquals(1, store.remove(name, "all"));
        clock.advance(Duration.ofSeconds(2));
        assertEquals(RoutedClient.CURRENT, client.enqueueBatch(name, request("e", Map.of()), channels("e", 1)).rule());
    }

    @Test
    void badRulesAreRefusedWithTheirProblem() {
        assertThrows(QueueStateException.class, () -> store.put(name, RouteRule.parse("x", 7, null, 100, 0)), "an unknown version");
        assertThrows(IllegalArgumentException.class, () -> RouteRule.parseShare("10"));
        assertThrows(IllegalArgumentException.class, () -> RouteRule.parseShare("120%"));
        assertThrows(IllegalArgumentException.class, () -> RouteRule.parse("x", 2, "channels>=many", 100, 0));
        assertThrows(IllegalArgumentException.class, () -> RouteRule.parse("x", 2, "appId", 100, 0));
        assertThrows(IllegalArgumentException.class, () -> RouteRule.parse("bad name", 2, null, 100, 0));
    }
}
