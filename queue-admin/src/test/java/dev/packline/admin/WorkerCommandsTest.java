package dev.packline.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.packline.queue.NewJob;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestRedis;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.retry.Backoff;
import dev.packline.queue.worker.Subscription;
import dev.packline.queue.worker.Worker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code admin workers}, {@code admin worker recycle|stop} with real workers, and {@code admin queues --watch}. */
class WorkerCommandsTest {
    private RedisQueueBroker broker;
    private QueueVersion queue;
    private String name;
    private final List<Worker> workers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        broker = TestRedis.broker(Clock.systemUTC());
        name = TestRedis.uniqueQueue("workers");
        queue = new QueueInspector(broker, Clock.systemUTC()).ensureQueue(name);
    }

    @AfterEach
    void tearDown() {
        workers.forEach(Worker::close);
        broker.obliterate(queue, true);
        broker.close();
    }

    private Worker start(long maxJobs) {
        Worker worker = new Worker(Worker.Params.of(broker, List.of(new Subscription(queue, job -> { }, 2,
                new Backoff(Duration.ofMillis(20), 1.0, Duration.ofMillis(20), 0.0)))).withTimings(JobCommandsTest.FAST).withMaxJobs(maxJobs)).start();
        workers.add(worker);
        return worker;
    }

    private static JsonNode row(String workerId) throws Exception {
        for (JsonNode w : JobCommandsTest.run("", false, "--json", "workers").json()) {
            if (w.get("id").asText().equals(workerId)) {
                return w;
            }
        }
        return null;
    }

    @Test
    void listsLiveWorkersAndAsksOneToRecycleAndAnotherToStop() throws Exception {
        Worker recycling = start(10);
        Worker stopping = start(0);
        QueueClient client = new QueueClient(broker);
        for (int i = 0; i < 4; i++) {
            client.enqueue(queue, NewJob.of("{}"));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (broker.counts(queue).done() < 4 || row(recycling.id()) == null || row(stopping.id()) == null) {
            assertTrue(System.nanoTime() < deadline, "jobs done and both workers listed");
            Thread.sleep(50);
        }
        Thread.sleep(3 * JobCommandsTest.FAST.heartbeatInterval().toMillis()); // a heartbeat after the last job
        JsonNode r = row(recycling.id());
        assertEquals(List.of(queue.label()), List.of(r.get("queues").get(0).asText()));
        assertEquals(ProcessHandle.current().pid(), r.get("pid").asLong());
        long done = r.get("jobsDone").asLong();
        assertEquals(10 - done, r.get("jobsLeftBeforeRecycle").asLong(), r.toString());
        assertTrue(row(stopping.id()).get("jobsLeftBeforeRecycle").isNull(), "no limit");

        JobCommandsTest.Run table = JobCommandsTest.run("", false, "workers");
        assertTrue(table.out().lines().findFirst().orElse("").startsWith("ID"), table.out());
        assertTrue(table.out().contains("JOBS LEFT BEFORE RECYCLE") && table.out().contains("no limit"), table.out());

        JobCommandsTest.Run recycle = JobCommandsTest.run("", false, "worker", "recycle", recycling.id());
        assertEquals(0, recycle.exit(), recycle.err());
        assertEquals(Worker.StopReason.RECYCLE, recycling.fetchingStopped().get(10, TimeUnit.SECONDS));
        JsonNode stop = JobCommandsTest.run("", false, "--json", "worker", "stop", stopping.id()).json();
        assertEquals("asked", stop.get("outcome").asText());
        assertEquals(Worker.StopReason.STOPPED_BY_ADMIN, stopping.fetchingStopped().get(10, TimeUnit.SECONDS));

        JobCommandsTest.Run unknown = JobCommandsTest.run("", false, "worker", "stop", "no-such-worker");
        assertEquals(3, unknown.exit());
        assertTrue(unknown.err().contains("no live worker 'no-such-worker'"), unknown.err());
        assertEquals(2, JobCommandsTest.run("", false, "worker", "pause", recycling.id()).exit());
    }

    @Test
    void queuesWatchRedrawsTheTableUntilStopped() throws Exception {
        new QueueClient(broker).enqueue(queue, NewJob.of("{}"));
        JobCommandsTest.Run watch = JobCommandsTest.run("", false, "queues", "--watch", "--interval", "100ms", "--count", "3");
        assertEquals(0, watch.exit(), watch.err());
        assertEquals(3, watch.out().lines().filter(l -> l.startsWith("queues at ")).count(), watch.out());
        assertEquals(3, watch.out().lines().filter(l -> l.startsWith("QUEUE") && l.contains("OLDEST PENDING SECONDS")).count(), watch.out());

        JobCommandsTest.Run json = JobCommandsTest.run("", false, "--json", "queues", "--watch", "--interval", "100ms", "--count", "2");
        List<String> lines = json.out().lines().toList();
        assertEquals(2, lines.size(), json.out());
        for (String line : lines) {
            boolean mine = false;
            for (JsonNode row : new com.fasterxml.jackson.databind.ObjectMapper().readTree(line)) {
                mine |= row.get("queue").asText().equals(name) && row.get("pending").asLong() == 1;
            }
            assertTrue(mine, line);
        }
        JobCommandsTest.Run terminal = JobCommandsTest.run("", true, "queues", "--watch", "--interval", "100ms", "--count", "2");
        assertEquals(2, terminal.out().split("\033\\[H\033\\[2J", -1).length - 1, "a terminal redraws in place");
        assertEquals(2, JobCommandsTest.run("", false, "queues", "--watch", "--interval", "10ms", "--count", "1").exit());
    }
}
