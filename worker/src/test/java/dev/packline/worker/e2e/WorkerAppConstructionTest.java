package dev.packline.worker.e2e;

import dev.packline.redis.EmbeddedRedis;
import dev.packline.settings.Settings;
import dev.packline.worker.WorkerApp;
import dev.packline.worker.WorkerConfig;
import dev.packline.worker.alarm.RecordingAlertChannel;
import dev.packline.worker.stage.PackagingTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A worker whose start fails half-way (here: its queues have no current version, found after the
 * Redis clients and the Redisson client are open) closes what it opened: the server it talked to
 * is back to the connections it had before. Its own redis-server, so no other test's clients count.
 */
class WorkerAppConstructionTest {
    @TempDir
    Path temp;

    @Test
    void aConstructionThatFailsHalfWayClosesEveryClientItOpened() throws Exception {
        Path apks = Files.createDirectories(temp.resolve("apks"));
        try (EmbeddedRedis redis = EmbeddedRedis.start(); Jedis admin = new Jedis("127.0.0.1", redis.port())) {
            // the stage queues get their version 1 at first start, the housekeeping queue never does: its missing version
            // fails the construction after the Redis and Redisson clients are open
            String yaml = PipelineFixture.yaml(redis.url(), apks, temp, "")
                    .replace("  notify: {concurrency: 2}\n", "  notify: {concurrency: 2}\n  housekeeping: {concurrency: 1}\n");
            WorkerConfig config = WorkerConfig.read(Settings.parse("worker.yml", yaml, Map.of()));
            int before = connectedClients(admin);

            IllegalStateException failed = assertThrows(IllegalStateException.class, () -> new WorkerApp(config,
                    PackagingTools.channelBuilder(), PackagingTools.patchMaker(), new RecordingAlertChannel(), Clock.systemUTC()));
            assertTrue(failed.getMessage().contains("'housekeeping' has no current version"), failed.getMessage());

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (connectedClients(admin) > before && System.nanoTime() < deadline) {
                Thread.sleep(20); // the server notices closed sockets as it reads them
            }
            assertEquals(before, connectedClients(admin), "connections left open by the failed start");
        }
    }

    private static int connectedClients(Jedis admin) {
        for (String line : admin.info("clients").split("\r?\n")) {
            if (line.startsWith("connected_clients:")) {
                return Integer.parseInt(line.substring("connected_clients:".length()).trim());
            }
        }
        throw new IllegalStateException("INFO clients has no connected_clients");
    }
}
