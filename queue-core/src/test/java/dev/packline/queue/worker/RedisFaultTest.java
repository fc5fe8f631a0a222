package dev.packline.queue.worker;

import dev.packline.queue.Enqueued;
import dev.packline.queue.JobState;
import dev.packline.queue.NewJob;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueUnavailableException;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestRedis;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.redis.Retention;
import dev.packline.redis.EmbeddedRedis;
import dev.packline.redis.RedisConnector;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Redis going away and coming back: clear errors, fetch loops that reconnect, a watchdog for silent connections. */
class RedisFaultTest {

    @Test
    void aRedisRestartFailsCallsClearlyAndTheWorkerCarriesOnAfterwards() throws Exception {
        Path data = Files.createTempDirectory("packline-restart-");
        int port = EmbeddedRedis.freePort();
        List<String> aof = List.of("appendonly yes", "appendfsync always");
        EmbeddedRedis redis = EmbeddedRedis.start(port, aof, data);
        String url = redis.url();
        try (RedisQueueBroker broker = new RedisQueueBroker(RedisConnector.open(url), url, Clock.systemUTC(), Retention.DEFAULT, true)) {
            QueueInspector inspector = new QueueInspector(broker, Clock.systemUTC());
            QueueClient client = new QueueClient(broker);
            QueueVersion queue = inspector.ensureQueue("restart");
            AtomicInteger errors = new AtomicInteger();
            WorkerEvents events = new WorkerEvents() {
                @Override
                public void redisError(String component, Exception error) {
                    errors.incrementAndGet();
                }
            };
            try (Worker ignored = new Worker(Worker.Params.of(broker, List.of(Subscription.of(queue, 2, job -> { })))
                    .withTimings(WorkerTest.FAST).withEvents(events)).start()) {
                Enqueued before = client.enqueue(queue.name(), NewJob.of("{}"));
                WorkerTest.await("first job done", () -> inspector.job(queue, before.id()).map(r -> r.state() == JobState.DONE).orElse(false));

                redis.stop();
                QueueUnavailableException down = assertThrows(QueueUnavailableException.class, () -> client.enqueue(queue.name(), NewJob.of("{}")));
                assertTrue(down.getMessage().contains("127.0.0.1:" + port) && down.getMessage().contains("unreachable"), down.getMessage());
                WorkerTest.await("the worker saw the outage", () -> errors.get() > 0);

                redis = EmbeddedRedis.start(port, aof, data);
                Enqueued after;
                try {
                    after = client.enqueue(queue.name(), NewJob.of("{}"));
                } catch (QueueUnavailableException staleConnection) {
                    // a pooled connection opened before the restart may fail once; the pool is then renewed
                    after = client.enqueue(queue.name(), NewJob.of("{}"));
                }
                Enqueued afterRestart = after;
                WorkerTest.await("a job after the restart is done",
                        () -> inspector.job(queue, afterRestart.id()).map(r -> r.state() == JobState.DONE).orElse(false));
                assertEquals(JobState.DONE, inspector.job(queue, before.id()).orElseThrow().state(), "the append-only file kept the state");
            }
        } finally {
            redis.close();
            try (var files = Files.walk(data)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void theWatchdogRestartsAFetchLoopWhoseConnectionWentSilent() throws Exception {
        int redisPort = Integer.parseInt(TestRedis.url().replaceFirst(".*:", ""));
        try (FreezableProxy proxy = new FreezableProxy(redisPort);
             RedisQueueBroker direct = TestRedis.broker(Clock.systemUTC());
             RedisQueueBroker viaProxy = new RedisQueueBroker(RedisConnector.open(proxy.url()), proxy.url(), Clock.systemUTC(), Retention.DEFAULT, true)) {
            QueueInspector inspector = new QueueInspector(direct, Clock.systemUTC());
            QueueVersion queue = inspector.ensureQueue(TestRedis.uniqueQueue("silent"));
            AtomicInteger stalls = new AtomicInteger();
            WorkerEvents events = new WorkerEvents() {
                @Override
                public void fetchStalled(QueueVersion q, Duration silentFor) {
                    stalls.incrementAndGet();
                }
            };
            WorkerTimings timings = WorkerTest.FAST.withHeartbeat(Duration.ofSeconds(1), Duration.ofSeconds(60)).withStallAfter(Duration.ofSeconds(3));
            try (Worker ignored = new Worker(Worker.Params.of(viaProxy, List.of(Subscription.of(queue, 1, job -> { })))
                    .withTimings(timings).withEvents(events)).start()) {
                Thread.sleep(300); // the fetch loop is now blocked waiting for a job
                proxy.freeze();
                WorkerTest.await("the watchdog noticed the silent fetch loop", () -> stalls.get() > 0);
                proxy.thaw();

                Enqueued job = new QueueClient(direct).enqueue(queue.name(), NewJob.of("{}"));
                WorkerTest.await("the restarted loop fetched a new job",
                        () -> inspector.job(queue, job.id()).map(r -> r.state() == JobState.DONE).orElse(false));
            } finally {
                direct.obliterate(queue, true);
            }
        }
    }
}
