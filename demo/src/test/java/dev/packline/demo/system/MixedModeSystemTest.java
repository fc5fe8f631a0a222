package dev.packline.demo.system;

import dev.packline.demo.Configs;
import dev.packline.demo.ServiceProcesses;
import dev.packline.packaging.sample.SampleApkBuilder;
import dev.packline.pipeline.ChannelSpec;
import dev.packline.pipeline.PackagingRequest;
import dev.packline.pipeline.RequestStatus;
import dev.packline.pipeline.RequestStore;
import dev.packline.pipeline.Stage;
import dev.packline.pipeline.Submitter;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueCounts;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.redis.Retention;
import dev.packline.queue.upgrade.ShadowReport;
import dev.packline.queue.upgrade.ShadowRun;
import dev.packline.queue.upgrade.ShadowStore;
import dev.packline.redis.EmbeddedRedis;
import dev.packline.redis.RedisConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Mixed mode in the shipped worker: one real worker process whose configuration says
 * {@code queues.package.handlers: {"1": [1], "2": [2]}} (the build offers handler 2 as its own
 * code under a second name, WorkerMain) serves the package queue's versions 1 and 2, each job on
 * the handler its version names, which each channel records as {@code handler}. Version 3, which
 * no handler serves, keeps its jobs: the process never takes one, while it finishes the other two
 * requests around them. A shadow run from version 1 to 2 between these two handlers compares every
 * channel of version 1's request and finds only matches.
 */
class MixedModeSystemTest {
    private static final int CHANNELS = 4;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void oneWorkerProcessRunsVersionOneAndTwoOnTheirHandlersAndNeverTakesVersionThree() throws Exception {
        Path home = Path.of("").toAbsolutePath().getParent();
        Path mother = new SampleApkBuilder().sdk(21, 33).payloadBytes(64 * 1024).seed(9)
                .build(Files.createDirectories(dir.resolve("mothers")).resolve("release.apk"));
        try (EmbeddedRedis redis = EmbeddedRedis.start();
             RedisQueueBroker broker = new RedisQueueBroker(RedisConnector.open(redis.url(), 2), redis.url(), Clock.systemUTC(), Retention.DEFAULT, true);
             UnifiedJedis jedis = RedisConnector.open(redis.url(), 2);
             ServiceProcesses services = new ServiceProcesses(home, dir, dir.resolve("logs"))) {
            QueueInspector admin = new QueueInspector(broker, Clock.systemUTC());
            for (Stage stage : Stage.values()) {
                admin.ensureQueue(stage.queueName());
            }
            RequestStore requests = new RequestStore(jedis, Clock.systemUTC(), Duration.ofDays(1));
            Submitter submitter = new Submitter(requests, new QueueClient(broker), 5, Duration.ofMinutes(2));
            // one request per package version, each enqueued while its version is current (as the API would)
            List<PackagingRequest> byVersion = new ArrayList<>();
            for (int version = 1; version <= 3; version++) {
                if (version > 1) {
                    admin.setCurrent(admin.newVersion(Stage.PACKAGE.queueName()));
                }
                PackagingRequest request = request(mother, "v" + version);
                submitter.submit(request);
                byVersion.add(request);
                assertEquals(CHANNELS, broker.counts(QueueVersion.of(Stage.PACKAGE.queueName(), version)).pending());
            }

            // and a shadow run from 1 to 2: handler 2 is the shipped code, so every pair must match
            ShadowStore shadows = new ShadowStore(jedis, Clock.systemUTC());
            shadows.start(new ShadowRun(Stage.PACKAGE.queueName(), 1, 2, 10_000, ShadowRun.DEFAULT_MAX_BACKLOG, ShadowRun.DEFAULT_ATTEMPTS,
                    System.currentTimeMillis()));

            Path config = new Configs.WorkerFile(EmbeddedRedis.freePort(), "http://127.0.0.1:9/unused", "whsec_dW51c2VkLXNlY3JldC0xMjM0NTY3ODkw", """
                      local:
                        kind: local
                        path: %s
                    """.formatted(dir.resolve("store"))).write(dir);
            String yaml = Files.readString(config);
            String mixed = yaml.replace("  package: {concurrency: 4}", "  package: {concurrency: 4, handlers: {\"1\": [1], \"2\": [2]}}");
            assertEquals(false, yaml.equals(mixed), "the worker file names the package queue as this test expects");
            Files.writeString(config, mixed);
            services.start("worker", "worker", "dev.packline.worker.WorkerMain", List.of("--config", config.toString(), "--redis", redis.url()),
                    Map.of("PACKLINE_WORKER_MAX_JOBS_PER_WORKER", "0"));

            for (int version = 1; version <= 2; version++) {
                RequestStatus status = FinishedRequests.await(requests, services, byVersion.get(version - 1).id(), Duration.ofSeconds(120));
                assertEquals("done", status.state(), status.toString());
                Set<Object> handlers = status.channels().stream().map(c -> c.get("handler")).collect(Collectors.toSet());
                assertEquals(Set.of(Integer.toString(version)), handlers, "version " + version + "'s jobs ran on handler " + version);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (shadows.report(Stage.PACKAGE.queueName(), 1, 2).compared() < CHANNELS && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            ShadowReport report = shadows.report(Stage.PACKAGE.queueName(), 1, 2);
            assertEquals(List.of((long) CHANNELS, (long) CHANNELS, 0L, 0L), List.of(report.copied(), report.matches(), report.mismatches(), report.failures()),
                    "the shipped handlers 1 and 2 write the same channels: " + report.examples());
            QueueCounts three = broker.counts(QueueVersion.of(Stage.PACKAGE.queueName(), 3));
            assertEquals(List.of((long) CHANNELS, 0L, 0L, 0L), List.of(three.pending(), three.active(), three.done(), three.dead()),
                    "no handler serves version 3: the worker never took its jobs");
            services.checkAlive();
        }
    }

    private static PackagingRequest request(Path mother, String tag) {
        List<ChannelSpec> channels = new ArrayList<>();
        for (int i = 0; i < CHANNELS; i++) {
            channels.add(new ChannelSpec(tag + "-" + i, Map.of()));
        }
        return new PackagingRequest("mixed-" + tag + "-" + UUID.randomUUID().toString().substring(0, 8), "demo", "dev.packline.mixed",
                mother.toUri().toString(), channels, "walle", "local", tag + "/", null, List.of(), List.of("log"), "all");
    }
}
