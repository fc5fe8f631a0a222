package dev.packline.worker.metrics;

import dev.packline.queue.NewJob;
import dev.packline.queue.QueueBroker.VersionChange;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestRedis;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.worker.Subscription;
import dev.packline.queue.worker.Worker;
import dev.packline.queue.worker.WorkerTimings;
import dev.packline.redis.EmbeddedRedis;
import dev.packline.redis.RedisConnector;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The metrics added for the dashboards and alert rules, read from a registry fed by real Redis and a real worker runtime. */
class WorkerMetricsTest {

    @Test
    void redisUpIsOneWhileRedisAnswersAndZeroOnceItStops() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        WorkerMetrics events = new WorkerMetrics(registry);
        events.preRegister(List.of());
        EmbeddedRedis redis = EmbeddedRedis.start();
        try (UnifiedJedis client = RedisConnector.open(redis.url(), 2);
             RedisHealth health = new RedisHealth(client, Duration.ofMillis(50), registry, events)) {
            health.start();
            await("packline_redis_up becomes 1", () -> registry.get("packline.redis.up").gauge().value(), 1);
            assertEquals(0, registry.get("packline.redis.errors").tag("component", "redis-health").counter().count());
            redis.stop();
            await("packline_redis_up falls to 0", () -> registry.get("packline.redis.up").gauge().value(), 0);
            // the probe flips the gauge before its task runner counts the error it rethrows: wait for both
            await("the failed probe is counted as a Redis error of its component",
                    () -> Math.min(1, registry.get("packline.redis.errors").tag("component", "redis-health").counter().count()), 1);
        } finally {
            redis.close();
        }
    }

    @Test
    void versionStateGaugesShowOneStatePerVersionAndFollowADrain() {
        try (RedisQueueBroker broker = TestRedis.broker(Clock.systemUTC())) {
            String name = TestRedis.uniqueQueue("metrics-state");
            QueueVersion old = broker.createVersion(name);
            QueueVersion current = broker.createVersion(name);
            new QueueClient(broker).enqueue(old, NewJob.of("{}"));
            broker.changeState(old, VersionChange.DRAIN, false);
            broker.changeState(current, VersionChange.PAUSE, false);
            MeterRegistry registry = new SimpleMeterRegistry();
            QueueDepthGauges gauges = new QueueDepthGauges(broker, Clock.systemUTC(), registry, List.of(old, current));
            assertTrue(Double.isNaN(state(registry, old, "draining")), "no data before the first sample, rather than a guess");

            gauges.refresh(List.of(old, current));
            assertEquals(1, state(registry, old, "draining"));
            assertEquals(0, state(registry, old, "active"));
            assertEquals(0, state(registry, old, "retired"));
            assertEquals(1, state(registry, current, "active"));
            assertEquals(1, registry.get("packline.queue.jobs").tags("queue", name, "version", "1", "state", "pending").gauge().value());
            assertEquals(0, registry.get("packline.queue.paused").tags("queue", name, "version", "1").gauge().value());
            assertEquals(1, registry.get("packline.queue.paused").tags("queue", name, "version", "2").gauge().value());
        }
    }

    @Test
    void aVersionLeftBehindByARolloutIsWatchedWithItsZeroWorkersWhileRetiredOnesAreNot() {
        try (RedisQueueBroker broker = TestRedis.broker(Clock.systemUTC())) {
            String name = TestRedis.uniqueQueue("metrics-rollout");
            QueueVersion done = broker.createVersion(name);
            QueueVersion leftBehind = broker.createVersion(name);
            QueueVersion served = broker.createVersion(name);
            broker.changeState(done, VersionChange.DRAIN, false);
            broker.changeState(done, VersionChange.RETIRE, false); // empty, so it may retire
            new QueueClient(broker).enqueue(leftBehind, NewJob.of("{}"));
            MeterRegistry registry = new SimpleMeterRegistry();
            QueueDepthGauges gauges = new QueueDepthGauges(broker, Clock.systemUTC(), registry, List.of(served));

            List<QueueVersion> watched = gauges.watched(List.of(served));
            assertEquals(List.of(served, done, leftBehind), watched);
            gauges.refresh(watched);
            String version = Integer.toString(leftBehind.version());
            assertEquals(1, registry.get("packline.queue.jobs").tags("queue", name, "version", version, "state", "pending").gauge().value());
            assertEquals(0, registry.get("packline.queue.workers").tags("queue", name, "version", version).gauge().value(),
                    "nobody serves it: the alert on pending jobs without workers can see that");
            assertTrue(registry.find("packline.queue.jobs").tags("queue", name, "version", Integer.toString(done.version())).gauges().isEmpty(),
                    "a version that was retired before it was first seen gets no gauges");
        }
    }

    @Test
    void jobsInFlightCountTheRunningJobsOfEachVersionAndEverySeriesExistsBeforeAnyJob() throws Exception {
        try (RedisQueueBroker broker = TestRedis.broker(Clock.systemUTC())) {
            QueueVersion queue = broker.createVersion(TestRedis.uniqueQueue("metrics-inflight"));
            MeterRegistry registry = new SimpleMeterRegistry();
            WorkerMetrics events = new WorkerMetrics(registry);
            CountDownLatch release = new CountDownLatch(1);
            Subscription subscription = Subscription.of(queue, 3, job -> release.await());
            WorkerTimings timings = WorkerTimings.DEFAULT.withHeartbeat(Duration.ofMillis(200), Duration.ofSeconds(2));
            try (Worker worker = new Worker(Worker.Params.of(broker, List.of(subscription)).withEvents(events).withTimings(timings))) {
                events.preRegister(List.of(queue));
                events.inFlight(worker, List.of(subscription));
                String version = Integer.toString(queue.version());
                for (String outcome : List.of("completed", "retry_scheduled", "dead_lettered", "timed_out", "lease_lost", "cancelled")) {
                    assertEquals(0, registry.get("packline.jobs.finished").tags("queue", queue.name(), "version", version, "outcome", outcome)
                            .counter().count(), outcome + " exists at 0 before any job");
                }
                assertEquals(3, registry.get("packline.jobs.concurrency").tags("queue", queue.name()).gauge().value());
                worker.start();
                QueueClient client = new QueueClient(broker);
                client.enqueue(queue, NewJob.of("{\"n\":1}"));
                client.enqueue(queue, NewJob.of("{\"n\":2}"));
                await("two jobs hold a virtual thread each", () -> registry.get("packline.jobs.in.flight").tags("queue", queue.name()).gauge().value(), 2);
                release.countDown();
                await("nothing runs once they finish", () -> registry.get("packline.jobs.in.flight").tags("queue", queue.name()).gauge().value(), 0);
                await("both are counted as completed", () -> registry.get("packline.jobs.finished")
                        .tags("queue", queue.name(), "outcome", "completed").counter().count(), 2);
            }
        }
    }

    @Test
    void pipelineSeriesExistAtZeroForEveryOutcomeStateAndConfiguredStore() {
        MeterRegistry registry = new SimpleMeterRegistry();
        PipelineMetrics.preRegister(registry, List.of("local", "oss-hz"));
        for (String outcome : PipelineMetrics.CHANNEL_OUTCOMES) {
            assertEquals(0, registry.get("packline.channels.finished").tag("outcome", outcome).counter().count());
        }
        for (String state : PipelineMetrics.REQUEST_STATES) {
            assertEquals(0, registry.get("packline.requests.finished").tag("state", state).counter().count());
        }
        assertEquals(0, registry.get("packline.bytes.uploaded").tag("store", "oss-hz").counter().count());
        assertEquals(0, registry.get("packline.mother.cache.lookups").tag("result", "hit").counter().count());
        PipelineMetrics.channelEnded(registry, "dead");
        PipelineMetrics.requestFinished(registry, "partly_failed");
        assertEquals(1, registry.get("packline.channels.finished").tag("outcome", "dead").counter().count());
        assertEquals(1, registry.get("packline.requests.finished").tag("state", "partly_failed").counter().count());
    }

    private static double state(MeterRegistry registry, QueueVersion queue, String state) {
        return registry.get("packline.queue.version.state").tags("queue", queue.name(), "version", Integer.toString(queue.version()), "state", state)
                .gauge().value();
    }

    private static void await(String what, DoubleSupplier value, double expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (value.getAsDouble() != expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": still " + value.getAsDouble() + " after 30 s");
            }
            Thread.sleep(20);
        }
    }
}
