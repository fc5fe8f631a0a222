package dev.packline.worker;

import dev.packline.settings.Settings;
import dev.packline.settings.SettingsException;
import org.junit.jupiter.api.Test;

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
        assertEquals(WorkerConfig.LogFormat.JSON, config.logFormat());
    }

    @Test
    void environmentVariablesOverrideTheFile() {
        WorkerConfig config = WorkerConfig.load(Path.of("../config/worker.yml"),
                Map.of("PACKLINE_REDIS_URL", "redis://10.1.1.1:6380", "PACKLINE_WORKER_MAX_JOBS_PER_WORKER", "7", "PACKLINE_LOGGING_FORMAT", "console"));
        assertEquals("redis://10.1.1.1:6380", config.redisUrl());
        assertEquals(7, config.maxJobsPerWorker());
        assertEquals(WorkerConfig.LogFormat.CONSOLE, config.logFormat());
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
        SettingsException e = assertThrows(SettingsException.class, () -> dev.packline.worker.notify.NotificationChannels
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
}
