package dev.packline.queue.upgrade;

import dev.packline.queue.NewJob;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestRedis;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.retry.Backoff;
import dev.packline.queue.worker.JobHandler;
import dev.packline.queue.worker.Worker;
import dev.packline.queue.worker.WorkerTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mixed mode on a real Redis and the worker runtime: a handler per queue version, unserved versions never taken. */
class HandlerVersionsTest {

    private RedisQueueBroker broker;
    private QueueInspector inspector;
    private String name;
    private Worker worker;

    @BeforeEach
    void setUp() {
        broker = TestRedis.broker(Clock.systemUTC());
        inspector = new QueueInspector(broker, Clock.systemUTC());
        name = TestRedis.uniqueQueue("mixed");
    }

    @AfterEach
    void tearDown() {
        if (worker != null) {
            worker.close();
        }
        for (QueueVersion v : broker.versions(name)) {
            broker.obliterate(v, true);
        }
        broker.close();
    }

    @Test
    void eachJobRunsOnTheHandlerOfItsVersionAndAVersionNoHandlerServesIsNeverTaken() throws Exception {
        List<QueueVersion> versions = new ArrayList<>(List.of(inspector.ensureQueue(name)));
        for (int i = 0; i < 3; i++) {
            versions.add(inspector.newVersion(name));
        }
        Map<String, String> ranBy = new ConcurrentHashMap<>();
        JobHandler old = job -> ranBy.put(job.id(), "h1@" + job.queue().version());
        JobHandler next = job -> ranBy.put(job.id(), "h2@" + job.queue().version());
        HandlerVersions mixed = new HandlerVersions(name, Map.of("h1", old, "h2", next), Map.of("h1", Set.of(1), "h2", Set.of(2, 3)));
        worker = new Worker(Worker.Params.of(broker, mixed.subscriptions(versions, 2, Backoff.DEFAULT)).withTimings(WorkerTest.FAST)).start();

        QueueClient client = new QueueClient(broker);
        for (QueueVersion v : versions) {
            for (int i = 0; i < 5; i++) {
                client.enqueue(v, NewJob.of("{}").withId("v" + v.version() + "-" + i));
            }
        }
        WorkerTest.await("the served versions' jobs ran", () -> ranBy.size() == 15);
        for (int v = 1; v <= 3; v++) {
            for (int i = 0; i < 5; i++) {
                assertEquals((v == 1 ? "h1@" : "h2@") + v, ranBy.get("v" + v + "-" + i));
            }
        }
        Thread.sleep(300); // several fetch rounds: version 4's jobs must still wait
        assertEquals(5, broker.counts(versions.get(3)).pending(), "no handler serves version 4: its jobs are never taken");
        assertTrue(ranBy.keySet().stream().noneMatch(id -> id.startsWith("v4-")));
        assertEquals(Set.of(1, 2, 3), mixed.servedVersions());
    }

    @Test
    void aMappingTheCodeCannotServeIsRefusedWithEveryProblem() {
        JobHandler handler = job -> { };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new HandlerVersions("package",
                Map.of("h1", handler), new java.util.TreeMap<>(Map.of("h1", Set.of(1, 2), "h9", Set.of(2, 0)))));
        for (String expected : List.of("handler version 'h9' does not exist", "queue version 0 of package is not a version",
                "queue version 2 of package is served by two handler versions: h1 and h9")) {
            assertTrue(e.getMessage().contains(expected), "missing " + expected + " in " + e.getMessage());
        }
    }
}
