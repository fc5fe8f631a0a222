package dev.packline.worker.metrics;

import dev.packline.queue.GroupSettings;
import dev.packline.queue.Job;
import dev.packline.queue.NewJob;
import dev.packline.queue.Priority;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestClock;
import dev.packline.queue.TestRedis;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.worker.JobHandler;
import dev.packline.redis.PeriodicTask;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-priority and per-group metrics on a real Redis: ready jobs and waiting time per level,
 * running and parked jobs per group with the group label bounded, and throughput and waits per
 * priority and group from the stage jobs' payloads.
 */
class PriorityMetricsTest {
    private final TestClock clock = new TestClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private RedisQueueBroker broker;
    private QueueVersion queue;

    @BeforeEach
    void setUp() {
        broker = TestRedis.broker(clock);
        queue = new QueueInspector(broker, clock).ensureQueue(TestRedis.uniqueQueue("priority-metrics"));
    }

    @AfterEach
    void tearDown() {
        broker.obliterate(queue, true);
        broker.close();
    }

    private double gauge(String name, String tag, String value) {
        Gauge g = registry.find(name).tags("queue", queue.name(), "version", Integer.toString(queue.version()), tag, value).gauge();
        if (g == null) {
            throw new AssertionError("no " + name + " with " + tag + "=" + value + ": " + registry.getMetersAsString());
        }
        return g.value();
    }

    @Test
    void levelsAndGroupsAreSampledWithTheGroupLabelBounded() {
        QueueClient client = new QueueClient(broker);
        broker.setGroupSettings(queue, "pub-a", new GroupSettings(1, OptionalInt.of(2)));
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            jobs.add(NewJob.of("{}").withGroup("pub-a").withPriority(Priority.BULK));
        }
        jobs.add(NewJob.of("{}").withGroup("pub-b").withPriority(Priority.URGENT));
        jobs.add(NewJob.of("{}")); // a plain job: normal, the default group
        client.enqueueBatch(queue, jobs);
        clock.advance(Duration.ofSeconds(30));

        PriorityGauges gauges = new PriorityGauges(broker, clock, registry, List.of(queue), Duration.ofSeconds(10), PeriodicTask.Failures.NONE);
        gauges.refresh();
        assertEquals(1, gauge("packline.queue.level.ready", "level", "urgent"));
        assertEquals(1, gauge("packline.queue.level.ready", "level", "normal"), "the plain list counts as normal");
        assertEquals(5, gauge("packline.queue.level.ready", "level", "bulk"));
        assertEquals(30, gauge("packline.queue.level.wait", "level", "urgent"), 0.5, "waiting since the enqueue");
        assertEquals(0, gauge("packline.queue.group.running", "group", "other"), "other is always there");

        // a worker takes every job it may: pub-a is capped at 2, so three of its jobs park
        broker.fetch(queue, "w1", 10, null, Duration.ofMinutes(1));
        gauges.refresh();
        assertEquals(2, gauge("packline.queue.group.running", "group", "pub-a"));
        assertEquals(3, gauge("packline.queue.group.parked", "group", "pub-a"));
        assertEquals(1, gauge("packline.queue.group.running", "group", "pub-b"));
        assertEquals(0, gauge("packline.queue.level.ready", "level", "bulk"), "parked jobs are counted per group, not per level");
        assertEquals(0, gauge("packline.queue.level.wait", "level", "bulk"), "an empty level has waited 0");

        List<dev.packline.queue.GroupStatus> many = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            many.add(new dev.packline.queue.GroupStatus("g" + i, GroupSettings.DEFAULT, i + 1, 0));
        }
        var top = PriorityGauges.topGroups(many);
        assertEquals(PriorityGauges.TOP_GROUPS + 1, top.size(), "20 busiest by name, the rest as other");
        assertTrue(top.containsKey("g29") && !top.containsKey("g9"), top.keySet().toString());
        assertEquals(1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 + 10, top.get("other")[0]);
    }

    @Test
    void stageJobsAreCountedByPriorityAndGroupFromTheirPayload() throws Exception {
        PriorityJobMetrics metrics = new PriorityJobMetrics(registry, clock);
        metrics.preRegister(queue.name());
        JobHandler ok = metrics.measured(job -> {
        });
        JobHandler failing = metrics.measured(job -> {
            throw new IllegalStateException("disk full");
        });
        long readyAt = clock.millis();
        clock.advance(Duration.ofSeconds(4));
        ok.handle(job("{\"priority\":\"urgent\",\"group\":\"pub-a\"}", readyAt), (f, m) -> null);
        ok.handle(job("{\"requestId\":\"r1\"}", readyAt), (f, m) -> null);
        assertThrows(IllegalStateException.class, () -> failing.handle(job("{\"priority\":\"bulk\",\"group\":\"pub-b\"}", readyAt), (f, m) -> null));
        for (int i = 0; i < GroupLabels.MAX_NAMED + 5; i++) {
            ok.handle(job("{\"priority\":\"normal\",\"group\":\"many-" + i + "\"}", readyAt), (f, m) -> null);
        }

        assertEquals(1, count("urgent", "pub-a", "completed"));
        assertEquals(1, count("normal", "default", "completed"), "a payload without priority or group");
        assertEquals(1, count("bulk", "pub-b", "failed"));
        assertEquals(7, count("normal", "other", "completed"), "groups past the first 20 seen are 'other' (pub-a and pub-b took two names)");
        var wait = registry.find("packline.job.wait.by.priority").tags("queue", queue.name(), "priority", "urgent").timer();
        assertEquals(4.0, wait.totalTime(java.util.concurrent.TimeUnit.SECONDS), 0.001);
        assertEquals(1, registry.find("packline.job.wait.by.group").tags("queue", queue.name(), "group", "pub-b").timer().count());
    }

    private Job job(String payload, long readyAt) {
        return new Job(queue, "j" + System.nanoTime(), payload, 1, 3, Duration.ofMinutes(1), "1", readyAt);
    }

    private double count(String priority, String group, String outcome) {
        var c = registry.find("packline.jobs.by.priority").tags("queue", queue.name(), "priority", priority, "group", group, "outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }
}
