package dev.packline.worker;

import dev.packline.settings.LogFormat;
import dev.packline.settings.Settings;
import dev.packline.settings.SettingsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerConfigTest {

    @Test
    void theExampleConfigurationLoads() {
        WorkerConfig config = WorkerConfig.load(Path.of("../config/worker.yml"), Map.of());
        assertEquals("redis://127.0.0.1:6379", config.redisUrl());
        assertEquals(List.of("package", "upload", "diff", "notify"), config.queues().stream().map(WorkerConfig.QueueConfig::name).toList());
        assertEquals(8, config.queues().get(0).concurrency());
        assertEquals(5000, config.maxJobsPerWorker());
        assertEquals(Duration.ofSeconds(20), config.timings().shutdownTimeout());
        assertEquals(10_000, config.alarms().backlogPending());
        assertEquals(2, config.supervision().processes());
        assertEquals(LogFormat.JSON, config.logFormat());
    }

    @Test
    void mixedModeHandlersAndTheCleanUpGraceAreRead(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("worker.yml"), """
                redis: {url: "redis://127.0.0.1:6379"}
                queues: {package: {concurrency: 1, handlers: {"1": [2, 3]}}}
                cleanup: {grace: 2d, interval: 1m}
                """);
        WorkerConfig config = WorkerConfig.load(dir.resolve("worker.yml"), Map.of());
        assertEquals(Map.of("1", java.util.Set.of(2, 3)), config.queues().get(0).handlers());
        assertEquals(Duration.ofDays(2), config.cleanup().grace());
        assertEquals(Duration.ofMinutes(1), config.cleanup().interval());
        assertEquals(Duration.ofDays(7), WorkerConfig.load(Path.of("../config/worker.yml"), Map.of()).cleanup().grace());

        Files.writeString(dir.resolve("bad.yml"), """
                redis: {url: "redis://127.0.0.1:6379"}
                queues: {package: {handlers: {"1": [two]}}}
                cleanup: {interval: 10ms}
                """);
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> WorkerConfig.load(dir.resolve("bad.yml"), Map.of()));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("queues.package.handlers.1: 'two' is not a version number")
                && e.getMessage().contains("cleanup.interval"), e.getMessage());
    }

    @Test
    void whatTheApiMustAgreeOnComesFromTheSharedPipelineFile() {
        WorkerConfig config = WorkerConfig.load(Path.of("../config/worker.yml"), Map.of("PACKLINE_PIPELINE_JOB_TIMEOUT", "5m"));
        assertEquals(List.of("local"), List.copyOf(config.pipeline().stores().keySet()), "config/pipeline.yml's stores");
        assertEquals(List.of(Path.of("/data/apks")), config.pipeline().allowedRoots());
        assertEquals(5, config.pipeline().jobMaxAttempts());
        assertEquals(Duration.ofMinutes(5), config.pipeline().jobTimeout(), "the environment overrides the shared file as any other");
        assertEquals(Path.of("var/mothers"), config.pipeline().motherCacheDir(), "the worker's own part stays in its own file");
    }

    @Test
    void aSharedSectionLeftInTheWorkersOwnFileIsRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("pipeline.yml"), "stores: {local: {kind: local, path: var/store}}\n");
        Files.writeString(dir.resolve("worker.yml"), """
                redis: {url: "redis://127.0.0.1:6379"}
                queues: {package: {concurrency: 1}}
                pipeline: {shared: pipeline.yml}
                stores: {other: {kind: local, path: var/other}}
                """);
        SettingsException e = assertThrows(SettingsException.class, () -> WorkerConfig.load(dir.resolve("worker.yml"), Map.of()));
        assertTrue(e.getMessage().contains("stores: belongs in the shared pipeline file"), e.getMessage());

        Files.writeString(dir.resolve("worker.yml"), """
                redis: {url: "redis://127.0.0.1:6379"}
                queues: {package: {concurrency: 1}}
                pipeline: {shared: missing.yml}
                """);
        SettingsException missing = assertThrows(SettingsException.class, () -> WorkerConfig.load(dir.resolve("worker.yml"), Map.of()));
        assertTrue(missing.getMessage().contains("missing.yml") && missing.getMessage().contains("does not exist"), missing.getMessage());
    }

    @Test
    void environmentVariablesOverrideTheFile() {
        WorkerConfig config = WorkerConfig.load(Path.of("../config/worker.yml"),
                Map.of("PACKLINE_REDIS_URL", "redis://10.1.1.1:6380", "PACKLINE_WORKER_MAX_JOBS_PER_WORKER", "7", "PACKLINE_LOGGING_FORMAT", "console"));
        assertEquals("redis://10.1.1.1:6380", config.redisUrl());
        assertEquals(7, config.maxJobsPerWorker());
        assertEquals(LogFormat.CONSOLE, config.logFormat());
    }

    @Test
    void notificationChannelsAreReadAndValidatedWithTheirSecretsFromTheEnvironment() {
        String yaml = """
                redis: {url: "redis://127.0.0.1:6379"}
                queues: {package: {concurrency: 1}}
                notifications:
                  ops: {kind: dingtalk, url: "env:DING_URL", secret: "env:DING_SECRET"}
                  broken: {kind: carrier-pigeon}
                """;
        WorkerConfig config = WorkerConfig.read(Settings.parse("n.yml", yaml, Map.of()));
        assertEquals("dingtalk", config.notifications().get("ops").kind());
        SettingsException e = assertThrows(SettingsException.class, () -> dev.packline.notify.NotificationChannels
                .fromSettings(config.notifications(), Map.of("DING_URL", "https://oapi.dingtalk.com/robot/send?access_token=abc")));
        assertTrue(e.getMessage().contains("carrier-pigeon"), e.getMessage());
        assertTrue(e.getMessage().contains("DING_SECRET"), "a missing variable is named: " + e.getMessage());
    }

    @Test
    void everyProblemIsReportedTogether() {
        SettingsException e = assertThrows(SettingsException.class, () -> WorkerConfig.read(Settings.parse("bad.yml", """
                queues:
                  Package: {concurrency: 2}
                  upload: {concurrency: 0, versions: [x]}
                worker:
                  shutdownTimeout: 45s
                  lease: 1s
                logging: {format: xml}
                alarms: {backlog: {pendnig: 5}}
                """, Map.of())));
        String text = e.getMessage();
        for (String expected : List.of("redis.url: required", "queues.Package: invalid queue name", "queues.upload.concurrency: must be between 1",
                "queues.upload.versions: 'x' is not a version number", "worker.shutdownTimeout (PT45S) must stay under 28s",
                "lease (PT1S) must be at least 3 heartbeat intervals", "logging.format: expected json or console", "alarms.backlog.pendnig: unknown key")) {
            assertTrue(text.contains(expected), "missing '" + expected + "' in:\n" + text);
        }
    }

    @Test
    void cloudStoresAreReadWithCredentialsFromTheEnvironmentOrFiles(@org.junit.jupiter.api.io.TempDir Path temp) throws Exception {
        Path secretFile = java.nio.file.Files.writeString(temp.resolve("secret"), "s3cr3t-value\n");
        String yaml = """
                redis: {url: "redis://127.0.0.1:6379"}
                queues: {upload: {concurrency: 1}}
                stores:
                  local: {kind: local, path: var/store}
                  oss-hz: {kind: oss, endpoint: "https://oss-cn-hangzhou.aliyuncs.com", bucket: game-channels, prefix: packline,
                           accessKeyId: "env:OSS_KEY_ID", accessKeySecret: "file:%s", partSize: 8MiB, concurrency: 3}
                  ks3-bj: {kind: ks3, endpoint: "https://ks3-cn-beijing.ksyuncs.com", bucket: game-channels,
                           accessKeyId: "env:KS3_KEY_ID", accessKeySecret: "env:KS3_KEY_SECRET"}
                upload: {zeroCopy: false, janitor: {maxIdle: 6h}}
                """.formatted(secretFile);
        WorkerConfig config = WorkerConfig.read(Settings.parse("s.yml", yaml, Map.of()));
        StoreConfig oss = config.pipeline().stores().get("oss-hz");
        assertEquals("oss", oss.kind());
        assertEquals(8L << 20, oss.partSize());
        assertEquals(3, oss.concurrency());
        assertEquals(Duration.ofHours(6), config.upload().janitorMaxIdle());
        assertTrue(!config.upload().zeroCopy());
        var settings = oss.cloud(Map.of("OSS_KEY_ID", "LTAI-key-id"));
        assertEquals("LTAI-key-id", settings.credentials().accessKeyId());
        assertEquals("s3cr3t-value", settings.credentials().accessKeySecret());
        assertTrue(!settings.toString().contains("s3cr3t-value") && !oss.toString().contains("s3cr3t-value"), settings.toString());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> config.pipeline().stores().get("ks3-bj").cloud(Map.of("KS3_KEY_ID", "id")));
        assertTrue(missing.getMessage().contains("KS3_KEY_SECRET"), missing.getMessage());
    }

    @Test
    void storeProblemsAreReportedTogetherAndLiteralCredentialsRefused() {
        SettingsException e = assertThrows(SettingsException.class, () -> WorkerConfig.read(Settings.parse("bad-stores.yml", """
                redis: {url: "redis://127.0.0.1:6379"}
                queues: {upload: {concurrency: 1}}
                stores:
                  s3: {kind: s3, endpoint: "https://example.com"}
                  oss-bad: {kind: oss, endpoint: "https://oss-cn-hangzhou.aliyuncs.com", bucket: Bad_Bucket,
                            accessKeyId: LTAIpastedkey, accessKeySecret: "env:OK", partSize: 1MiB}
                  ks3-nokeys: {kind: ks3, bucket: game}
                """, Map.of())));
        String text = e.getMessage();
        for (String expected : List.of("stores.s3.kind: expected local, oss or ks3", "stores.oss-bad.accessKeyId: must be env:VARIABLE or file:",
                "stores.ks3-nokeys.endpoint: required", "stores.ks3-nokeys.accessKeySecret: must be env:VARIABLE or file:")) {
            assertTrue(text.contains(expected), "missing '" + expected + "' in:\n" + text);
        }
        assertTrue(!text.contains("LTAIpastedkey"), "a pasted key is never echoed: " + text);
    }
}
