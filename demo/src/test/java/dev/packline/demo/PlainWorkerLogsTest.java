package dev.packline.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.packline.pipeline.Stage;
import dev.packline.queue.QueueVersion;
import dev.packline.redis.EmbeddedRedis;
import dev.packline.redis.RedisConnector;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.redis.Retention;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker run the way Kubernetes runs it (no {@code --supervise}) as its own process, on an empty
 * Redis (a fresh deployment's first start): it creates version 1 of every pipeline queue and serves
 * them, writes JSON lines on stdout from its first line to its last, nothing on stderr, and exits 0
 * after SIGTERM. The supervised form and the API are checked by {@link DemoTest}, which runs them.
 */
class PlainWorkerLogsTest {
    @TempDir
    Path dir;

    @Test
    void aWorkerWithoutSupervisorStartsOnAnEmptyRedisWritesOnlyJsonLinesAndExitsZeroOnSigterm() throws Exception {
        Path home = Path.of("").toAbsolutePath().getParent();
        try (EmbeddedRedis redis = EmbeddedRedis.start()) {
            Path config = Configs.writeWorker(dir, EmbeddedRedis.freePortBlock(1 + 3), "http://127.0.0.1:9/unused", "whsec_dW51c2VkLXNlY3JldA==");
            Process worker;
            try (ServiceProcesses services = new ServiceProcesses(home, dir, dir.resolve("logs"))) {
                worker = services.start("worker", "worker", "dev.packline.worker.WorkerMain",
                        List.of("--config", config.toString(), "--redis", redis.url()));
                awaitLine(dir.resolve("logs/worker.log"), "serving [", worker);
            } // SIGTERM
            assertTrue(worker.waitFor(30, TimeUnit.SECONDS), "the worker did not stop within 30 s of SIGTERM");
            assertEquals(0, worker.exitValue(), "a worker stopped by SIGTERM after a clean shutdown exits 0 (docs/operations.md)");
            assertFirstVersions(redis.url());
        }
        JsonLogLines lines = JsonLogLines.read(dir.resolve("logs/worker.log"), "packline-worker");
        lines.assertSomeMessageContains("started on");
        lines.assertSomeMessageContains("stopped");
        for (Stage stage : Stage.values()) {
            lines.assertSomeMessageContains("first start: created " + stage.queueName() + ":1 (current)");
        }
        JsonLogLines.assertEmpty(dir.resolve("logs/worker.err"));
    }

    private static void assertFirstVersions(String redisUrl) {
        try (RedisQueueBroker broker = new RedisQueueBroker(RedisConnector.open(redisUrl, 2), redisUrl, Clock.systemUTC(), Retention.DEFAULT, true)) {
            for (Stage stage : Stage.values()) {
                assertEquals(List.of(QueueVersion.of(stage.queueName(), 1)), broker.versions(stage.queueName()));
                assertEquals(QueueVersion.of(stage.queueName(), 1), broker.currentVersion(stage.queueName()).orElseThrow());
            }
        }
    }

    private static void awaitLine(Path log, String text, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(text)) {
                return;
            }
            assertTrue(process.isAlive(), "the worker exited with status " + (process.isAlive() ? "" : process.exitValue()) + "; see " + log);
            Thread.sleep(200);
        }
        throw new AssertionError("the worker did not log '" + text + "' within 90 s; see " + log);
    }
}
