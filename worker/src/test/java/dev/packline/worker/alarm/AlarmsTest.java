package dev.packline.worker.alarm;

import dev.packline.notify.Alert;

import dev.packline.queue.Job;
import dev.packline.queue.NewJob;
import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestClock;
import dev.packline.queue.TestRedis;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.worker.WorkerEvents;
import dev.packline.worker.Keys;
import dev.packline.worker.WorkerConfig;
import dev.packline.worker.metrics.QueueDepthGauges;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Backlog alarms raised, repeated per cooldown and resolved, time moved by hand; dead letters announced once. */
class AlarmsTest {
    private final TestClock clock = new TestClock();
    private final RecordingAlertChannel channel = new RecordingAlertChannel();
    private final List<Alert> sent = channel.alerts();
    private RedisQueueBroker broker;
    private RedissonClient redisson;
    private QueueVersion queue;

    @BeforeEach
    void setUp() {
        broker = TestRedis.broker(clock);
        redisson = Redisson.create(dev.packline.worker.WorkerApp.redissonConfigForTests(TestRedis.url()));
        queue = new QueueInspector(broker, clock).ensureQueue(TestRedis.uniqueQueue("alarm"));
    }

    @AfterEach
    void tearDown() {
        broker.obliterate(queue, true);
        redisson.getMap(Keys.ALARMS).delete();
        redisson.shutdown();
        broker.close();
    }

    @Test
    void aBacklogAlarmFiresRepeatsAfterItsCooldownAndResolves() throws Exception {
        WorkerConfig.Alarms thresholds = new WorkerConfig.Alarms(3, Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofMinutes(15), Duration.ofSeconds(30));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        QueueDepthGauges depth = new QueueDepthGauges(broker, clock, registry, List.of(queue));
        BacklogMonitor monitor = new BacklogMonitor(List.of(queue), depth, redisson, channel, thresholds, clock, registry, WorkerEvents.NONE);
        QueueClient client = new QueueClient(broker);
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            jobs.add(NewJob.of("{}"));
        }
        client.enqueueBatch(queue, jobs);

        monitor.runOnce();
        assertEquals(1, sent.size());
        assertEquals(Alert.Status.FIRING, sent.get(0).status());
        assertTrue(sent.get(0).title().contains("4 pending jobs (threshold 3)"), sent.get(0).title());
        assertEquals(1.0, registry.get("packline.alarm.firing").tag("alarm", "backlog-pending").gauge().value());

        clock.advance(Duration.ofMinutes(5));
        monitor.runOnce();
        assertEquals(1, sent.size(), "within the cooldown: no repeat");

        clock.advance(Duration.ofMinutes(6)); // the oldest job is now 11 minutes old
        monitor.runOnce();
        assertEquals(2, sent.size());
        assertTrue(sent.get(1).key().startsWith("backlog-age:"), "the age alarm fires too: " + sent.get(1).key());

        clock.advance(Duration.ofMinutes(5)); // 16 minutes: past the pending alarm's 15-minute cooldown
        monitor.runOnce();
        assertEquals(3, sent.size());
        assertTrue(sent.get(2).title().startsWith("still firing"), "a reminder after the cooldown: " + sent.get(2).title());

        for (Job job : broker.fetch(queue, "w", 4, null, Duration.ofSeconds(30)).jobs()) {
            broker.complete(queue, "w", List.of(new QueueBroker.Ack(job.id(), job.token())));
        }
        monitor.runOnce();
        List<Alert> resolved = sent.stream().filter(a -> a.status() == Alert.Status.RESOLVED).toList();
        assertEquals(2, resolved.size(), "both alarms resolve");
        assertEquals(0.0, registry.get("packline.alarm.firing").tag("alarm", "backlog-pending").gauge().value());

        monitor.runOnce();
        assertEquals(5, sent.size(), "nothing more once resolved");
    }

    @Test
    void deadLettersAreAnnouncedOnceInADigestNamingRequestAndChannel() throws Exception {
        QueueClient client = new QueueClient(broker);
        for (int i = 0; i < 3; i++) {
            client.enqueue(queue, NewJob.of("{\"requestId\":\"req-7\",\"channel\":\"华为-" + i + "\"}").withMaxAttempts(1));
            Job job = broker.fetch(queue, "w", 1, null, Duration.ofSeconds(30)).jobs().get(0);
            broker.fail(queue, "w", new QueueBroker.Failure(job, "mother APK is not signed", clock.millis(), true));
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DeadLetterAlerter first = new DeadLetterAlerter(broker, List.of(queue), "worker-a", channel, Duration.ofSeconds(30), clock, registry, WorkerEvents.NONE);
        DeadLetterAlerter second = new DeadLetterAlerter(broker, List.of(queue), "worker-b", channel, Duration.ofSeconds(30), clock, registry, WorkerEvents.NONE);

        assertEquals(3, first.announce(queue));
        assertEquals(0, second.announce(queue), "another worker does not announce them again");
        assertEquals(0, first.announce(queue));

        assertEquals(1, sent.size());
        Alert digest = sent.get(0);
        assertEquals(Alert.Severity.CRITICAL, digest.severity());
        assertTrue(digest.title().startsWith("3 jobs dead-lettered on " + queue), digest.title());
        assertTrue(digest.text().contains("request req-7, channel 华为-1, attempts 1, rejected: mother APK is not signed"), digest.text());
        assertEquals(3.0, registry.get("packline.dead.letters.announced").counter().count());
    }
}
