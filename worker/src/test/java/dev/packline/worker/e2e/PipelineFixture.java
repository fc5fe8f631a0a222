package dev.packline.worker.e2e;

import dev.packline.packaging.ApkInspector;
import dev.packline.packaging.ChannelInfo;
import dev.packline.packaging.ChannelReader;
import dev.packline.packaging.sample.SampleApkBuilder;
import dev.packline.pipeline.ChannelSpec;
import dev.packline.pipeline.PackagingRequest;
import dev.packline.pipeline.RequestStatus;
import dev.packline.pipeline.Stage;
import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test data and checks shared by the end-to-end pipeline tests: real signed mothers, requests, and output verification. */
final class PipelineFixture {
    private PipelineFixture() {
    }

    /** A signed v1+v2+v3 mother with some stored payload; seeds make different releases. */
    static Path mother(Path dir, String name, long seed) throws Exception {
        return new SampleApkBuilder().seed(seed).payloadBytes(512 * 1024).build(dir.resolve(name));
    }

    static String yaml(String redisUrl, Path root, Path dataDir, String extra) {
        return """
                redis: {url: "%s"}
                queues:
                  package: {concurrency: 4}
                  upload: {concurrency: 4}
                  diff: {concurrency: 1}
                  notify: {concurrency: 2}
                worker:
                  heartbeatInterval: 200ms
                  lease: 2s
                  recoverInterval: 300ms
                  shutdownTimeout: 5s
                metrics: {port: 0}
                logging: {format: console}
                mothers:
                  cacheDir: "%s"
                  cacheMaxBytes: 1GiB
                  allowedRoots: ["%s"]
                stores:
                  local: {kind: local, path: "%s"}
                pipeline:
                  workDir: "%s"
                  jobMaxAttempts: 5
                  jobTimeout: 2m
                %s
                """.formatted(redisUrl, dataDir.resolve("mothers"), root, dataDir.resolve("store"), dataDir.resolve("work"), extra);
    }

    /** Makes sure every stage queue has a current version (a fresh Redis has none). */
    static void ensureStageQueues(QueueBroker broker) {
        QueueInspector inspector = new QueueInspector(broker, java.time.Clock.systemUTC());
        for (Stage stage : Stage.values()) {
            inspector.ensureQueue(stage.queueName());
        }
    }

    static PackagingRequest request(Path mother, int channels, List<Path> diffAgainst) {
        List<ChannelSpec> specs = new ArrayList<>();
        for (int i = 0; i < channels; i++) {
            specs.add(new ChannelSpec(i % 3 == 0 ? "华为应用市场-" + i : "store-" + i, i % 2 == 0 ? Map.of("campaign", "spring") : Map.of()));
        }
        return new PackagingRequest("e2e-" + UUID.randomUUID().toString().substring(0, 8), "publisher-a", "dev.packline.sample",
                mother.toUri().toString(), specs, "walle", "local", "game/1.0/", null,
                diffAgainst.stream().map(p -> p.toUri().toString()).toList(), List.of("log"), "all");
    }

    /** Every channel of the request is in the store once, verifies with apksig, and carries its own channel. */
    static void verifyOutputs(RequestStatus status, Path storeRoot) throws Exception {
        assertEquals("done", status.state(), status.toString());
        assertEquals(status.total(), status.channels().size());
        Set<String> seen = new HashSet<>();
        for (Map<String, Object> channel : status.channels()) {
            Path file = storeRoot.resolve((String) channel.get("objectKey"));
            assertTrue(Files.isRegularFile(file), "stored: " + file);
            assertEquals(channel.get("sha256"), sha256(file), "the stored bytes are the recorded ones");
            assertTrue(ApkInspector.verify(file).verified(), "apksig verifies " + file);
            ChannelInfo info = ChannelReader.read(file).orElseThrow();
            assertEquals(channel.get("channel"), info.name());
            assertTrue(seen.add(info.name()), "each channel once: " + info.name());
        }
        try (var files = Files.walk(storeRoot)) {
            long apks = files.filter(p -> p.toString().endsWith(".apk")).count();
            assertEquals(status.total(), apks, "nothing else, no duplicates, no partial uploads");
        }
        try (var files = Files.walk(storeRoot)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no partial upload left");
        }
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    static QueueVersion current(QueueBroker broker, Stage stage) {
        return broker.currentVersion(stage.queueName()).orElseThrow();
    }
}
