package dev.packline.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.queue.NewJob;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestRedis;
import dev.packline.queue.VersionState;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.upgrade.RouteStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code admin version rollback|keep|unkeep}, {@code admin route ...} and the upgrade columns of {@code admin queues}, on a real Redis. */
class UpgradeCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private RedisQueueBroker broker;
    private UnifiedJedis redis;
    private QueueInspector inspector;
    private String name;

    @BeforeEach
    void setUp() {
        broker = TestRedis.broker(Clock.systemUTC());
        redis = TestRedis.client();
        inspector = new QueueInspector(broker, Clock.systemUTC());
        name = TestRedis.uniqueQueue("upgrade-admin");
    }

    @AfterEach
    void tearDown() {
        new RouteStore(redis).remove(name, "*");
        for (QueueVersion v : broker.versions(name)) {
            broker.obliterate(v, true);
        }
        broker.close();
        redis.close();
    }

    private static AdminRun admin(String... args) {
        return AdminRun.admin(args);
    }

    private JsonNode row(int version) throws Exception {
        for (JsonNode row : admin("--json", "queues").json()) {
            if (row.path("queue").asText().equals(name) && row.path("version").asInt() == version) {
                return row;
            }
        }
        throw new AssertionError("no row for " + name + " v" + version);
    }

    @Test
    void rollbackMakesTheOldVersionCurrentAndMovesTheWaitingJobsBack() throws Exception {
        QueueVersion v1 = inspector.ensureQueue(name);
        QueueVersion v2 = inspector.newVersion(name);
        inspector.setCurrent(v2);
        inspector.markDraining(v1);
        new QueueClient(broker).enqueueBatch(name, List.of(NewJob.of("{}"), NewJob.of("{}"), NewJob.of("{}")));

        JsonNode done = admin("--json", "version", "rollback", "--queue", name, "--to", "1").json();
        assertEquals(2, done.get("from").asInt());
        assertEquals("draining", done.get("targetWas").asText());
        assertEquals(3, done.get("moved").asInt());
        assertEquals(v1, inspector.current(name).orElseThrow());
        assertEquals(3, broker.counts(v1).pending());
        assertEquals(VersionState.DRAINING, broker.counts(v2).state());

        AdminRun again = admin("version", "rollback", "--queue", name, "--to", "1");
        assertEquals(AdminMain.FAILED, again.exit());
        assertTrue(again.err().contains("already current"), again.err());
        assertEquals(AdminMain.USAGE, admin("version", "rollback", "--queue", name).exit());
    }

    @Test
    void queuesShowsWhenTheCleanUpRemovesAVersionAndAKeptOneStays() throws Exception {
        QueueVersion v1 = inspector.ensureQueue(name);
        QueueVersion v2 = inspector.newVersion(name);
        inspector.setCurrent(v2);
        inspector.drain(v1, java.time.Duration.ofSeconds(5), java.time.Duration.ofMillis(50), c -> { });

        assertEquals("-", row(2).get("cleanup").asText());
        String removeAt = row(1).get("cleanup").asText();
        assertTrue(removeAt.matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), "a removal time: " + removeAt);

        assertEquals(0, admin("version", "keep", "--queue", name, "--version", "1").exit());
        assertEquals("kept", row(1).get("cleanup").asText());
        AdminRun unkeep = admin("version", "unkeep", "--queue", name, "--version", "1");
        assertEquals(0, unkeep.exit(), unkeep.err());
        assertTrue(unkeep.out().contains(removeAt), unkeep.out());
        assertEquals(AdminMain.FAILED, admin("version", "keep", "--queue", name, "--version", "9").exit());
    }

    @Test
    void routesAreAddedListedShownInQueuesAndRemoved() throws Exception {
        inspector.ensureQueue(name);
        inspector.newVersion(name);

        AdminRun added = admin("route", "add", "--queue", name, "--name", "canary", "--to", "2", "--share", "10%");
        assertEquals(0, added.exit(), added.err());
        assertEquals(0, admin("route", "add", "--queue", name, "--name", "app-a", "--to", "2", "--match", "appId=com.a").exit());
        JsonNode list = admin("--json", "route", "list", "--queue", name).json();
        assertEquals(2, list.size());
        assertEquals("canary", list.get(0).get("name").asText());
        assertEquals("10.0%", list.get(0).get("share").asText());
        assertEquals("appId=com.a", list.get(1).get("match").asText());
        assertEquals(List.of("canary 10.0%", "app-a 100.0%"),
                JSON.convertValue(row(2).get("routes"), List.class));

        AdminRun refused = admin("route", "add", "--queue", name, "--name", "x", "--to", "7");
        assertEquals(AdminMain.FAILED, refused.exit());
        assertTrue(refused.err().contains("no such version"), refused.err());
        AdminRun badShare = admin("route", "add", "--queue", name, "--name", "x", "--to", "2", "--share", "ten");
        assertEquals(AdminMain.FAILED, badShare.exit());
        assertTrue(badShare.err().contains("share 'ten'"), badShare.err());

        assertEquals(0, admin("route", "remove", "--queue", name, "--name", "canary").exit());
        assertEquals(AdminMain.NOT_FOUND, admin("route", "remove", "--queue", name, "--name", "canary").exit());
        assertEquals(0, admin("route", "remove", "--queue", name, "--all").exit());
        assertEquals(0, admin("--json", "route", "list", "--queue", name).json().size());
    }
}
