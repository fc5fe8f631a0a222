package dev.packline.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestRedis;
import dev.packline.queue.redis.Keys;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.upgrade.ShadowResult;
import dev.packline.queue.upgrade.ShadowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code admin shadow start|stop|list|report} on a real Redis; the comparisons are recorded as the workers record them. */
class ShadowCommandsTest {
    private RedisQueueBroker broker;
    private UnifiedJedis redis;
    private String name;
    private QueueVersion v1;
    private QueueVersion v2;

    @BeforeEach
    void setUp() {
        broker = TestRedis.broker(Clock.systemUTC());
        redis = TestRedis.client();
        QueueInspector inspector = new QueueInspector(broker, Clock.systemUTC());
        name = TestRedis.uniqueQueue("shadow-admin");
        v1 = inspector.ensureQueue(name);
        v2 = inspector.newVersion(name);
    }

    @AfterEach
    void tearDown() {
        for (QueueVersion v : broker.versions(name)) {
            broker.obliterate(v, true);
        }
        redis.del(Keys.shadows(name), Keys.shadowResults(name, 1, 2), Keys.shadowExamples(name, 1, 2));
        broker.close();
        redis.close();
    }

    @Test
    void startListReportAndStopARun() throws Exception {
        AdminRun started = AdminRun.admin("shadow", "start", "--queue", name, "--from", "1", "--to", "2", "--share", "10%");
        assertEquals(AdminMain.OK, started.exit(), started.err());
        assertTrue(started.out().contains("v1 -> v2, 10.0% of jobs"), started.out());

        JsonNode list = AdminRun.admin("--json", "shadow", "list", "--queue", name).json();
        assertEquals(1, list.size());
        assertEquals("10.0%", list.get(0).get("share").asText());

        assertEquals(List.of("[\"v1->v2 10.0%\"]", "[\"v1->v2 10.0%\"]"), shadowColumn(), "admin queues shows the run on both its versions");
        AdminRun queues = AdminRun.admin("queues");
        assertTrue(queues.out().lines().anyMatch(l -> l.contains(name) && l.contains("v1->v2 10.0%")), queues.out());

        // two workers' records: one pair matches, one differs in its SHA-256
        ShadowStore store = new ShadowStore(redis, Clock.systemUTC());
        ShadowResult real = ShadowResult.produced(Map.of("sha256", "aa11", "size", "100", "verified", "true"));
        store.record(v1, v2, "pkg:r:0", ShadowStore.Side.REAL, real);
        store.record(v1, v2, "pkg:r:0", ShadowStore.Side.SHADOW, real);
        store.record(v1, v2, "pkg:r:1", ShadowStore.Side.SHADOW, ShadowResult.produced(Map.of("sha256", "bb22", "size", "100", "verified", "true")));
        store.record(v1, v2, "pkg:r:1", ShadowStore.Side.REAL, real);

        JsonNode report = AdminRun.admin("--json", "shadow", "report", "--queue", name, "--from", "1").json();
        assertEquals(1, report.get("matches").asInt());
        assertEquals(1, report.get("mismatches").asInt());
        assertEquals(0.5, report.get("mismatchRate").asDouble(), 1e-9);
        assertTrue(report.get("running").asBoolean());
        JsonNode example = report.get("examples").get(0);
        assertEquals("pkg:r:1", example.get("job").asText());
        assertEquals("mismatch", example.get("verdict").asText());
        assertTrue(example.get("real").asText().contains("sha256=aa11"), example.toString());
        assertTrue(example.get("shadow").asText().contains("sha256=bb22"), example.toString());

        AdminRun text = AdminRun.admin("shadow", "report", "--queue", name, "--from", "1");
        assertTrue(text.out().contains("compared 2: 1 match, 1 mismatch, 0 failure; mismatch rate 50.0%"), text.out());
        assertTrue(text.out().contains("pkg:r:1"), text.out());

        AdminRun stopped = AdminRun.admin("shadow", "stop", "--queue", name, "--from", "1");
        assertEquals(AdminMain.OK, stopped.exit(), stopped.err());
        assertEquals(0, AdminRun.admin("--json", "shadow", "list", "--queue", name).json().size());
        assertEquals(List.of("[]", "[]"), shadowColumn(), "a stopped run leaves admin queues");
        assertEquals(AdminMain.NOT_FOUND, AdminRun.admin("shadow", "report", "--queue", name, "--from", "1").exit(),
                "a stopped run's report needs its --to");
        JsonNode kept = AdminRun.admin("--json", "shadow", "report", "--queue", name, "--from", "1", "--to", "2").json();
        assertFalse(kept.get("running").asBoolean());
        assertEquals(1, kept.get("mismatches").asInt(), "the counts outlive the run until they expire");
        assertEquals(AdminMain.NOT_FOUND, AdminRun.admin("shadow", "stop", "--queue", name, "--from", "1").exit());
    }

    /** The shadow column of this test's queue's versions in {@code admin --json queues}, version 1 first. */
    private List<String> shadowColumn() throws Exception {
        List<String> cells = new ArrayList<>();
        for (JsonNode row : AdminRun.admin("--json", "queues").json()) {
            if (row.get("queue").asText().equals(name)) {
                cells.add(row.get("shadow").toString());
            }
        }
        return cells;
    }

    @Test
    void badRunsAreRefusedWithTheReason() {
        record Case(String[] args, int exit, String says) {
        }
        for (Case c : new Case[]{
                new Case(new String[]{"shadow", "start", "--queue", name, "--from", "1", "--to", "7"}, AdminMain.FAILED, "version 7 does not exist"),
                new Case(new String[]{"shadow", "start", "--queue", name, "--from", "1", "--to", "1"}, AdminMain.FAILED, "--from and --to are both 1"),
                new Case(new String[]{"shadow", "start", "--queue", name, "--from", "1", "--to", "2", "--share", "ten"}, AdminMain.FAILED, "must be a percentage"),
                new Case(new String[]{"shadow", "start", "--queue", name, "--to", "2"}, AdminMain.USAGE, "needs --from N"),
                new Case(new String[]{"shadow", "pause", "--queue", name}, AdminMain.USAGE, "shadow needs 'start', 'stop', 'list' or 'report'")}) {
            AdminRun run = AdminRun.admin(c.args());
            assertEquals(c.exit(), run.exit(), String.join(" ", c.args()) + ": " + run.err());
            assertTrue(run.err().contains(c.says()), run.err());
        }
    }
}
