package dev.packline.worker.e2e;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.packline.pipeline.RequestStatus;
import dev.packline.pipeline.RequestStore;
import dev.packline.pipeline.Submitter;
import dev.packline.queue.QueueClient;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.redis.Retention;
import dev.packline.redis.EmbeddedRedis;
import dev.packline.redis.RedisConnector;
import dev.packline.settings.Settings;
import dev.packline.worker.WorkerApp;
import dev.packline.worker.WorkerConfig;
import dev.packline.notify.LogAlertChannel;
import dev.packline.worker.stage.PackagingTools;
import net.logstash.logback.encoder.LogstashEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A worker whose Redis needs a password runs a request, fails a bad one, and stops: the password appears in no log line. */
class SecretsInLogsTest {
    private static final String PASSWORD = "s3cr3t-Redis-pw";

    @TempDir
    Path temp;

    @Test
    void theRedisPasswordNeverReachesTheLogsAndJsonLinesCarryTheJobContext() throws Exception {
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        captured.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        captured.start();
        root.addAppender(captured);
        try (EmbeddedRedis redisServer = EmbeddedRedis.start(List.of("requirepass " + PASSWORD))) {
            String url = "redis://:" + PASSWORD + "@127.0.0.1:" + redisServer.port();
            Path apks = Files.createDirectories(temp.resolve("apks"));
            Path mother = PipelineFixture.mother(apks, "game-1.0.apk", 21);
            WorkerConfig config = WorkerConfig.read(Settings.parse("secret.yml", PipelineFixture.yaml(url, apks, temp, ""), Map.of()));
            try (RedisQueueBroker broker = RedisQueueBroker.connect(url, Clock.systemUTC(), Retention.DEFAULT);
                 UnifiedJedis redis = RedisConnector.open(url, 2)) {
                PipelineFixture.ensureStageQueues(broker);
                RequestStore requests = new RequestStore(redis, Clock.systemUTC(), Duration.ofDays(1));
                Submitter submitter = new Submitter(requests, new QueueClient(broker), 2, Duration.ofMinutes(1));
                var good = PipelineFixture.request(mother, 3, List.of());
                var bad = PipelineFixture.request(temp.resolve("outside.apk"), 1, List.of()); // not under the allowed roots
                try (WorkerApp app = new WorkerApp(config, PackagingTools.channelBuilder(), PackagingTools.patchMaker(), new LogAlertChannel(),
                        Clock.systemUTC()).start()) {
                    submitter.submit(good);
                    submitter.submit(bad);
                    RequestStatus goodStatus = PipelineEndToEndTest.awaitFinished(requests, good.id(), 60);
                    RequestStatus badStatus = PipelineEndToEndTest.awaitFinished(requests, bad.id(), 60);
                    assertEquals("done", goodStatus.state());
                    assertEquals("failed", badStatus.state());
                    assertTrue(String.valueOf(badStatus.channels().get(0).get("error")).contains("outside the allowed roots"));
                }
            }
        } finally {
            root.detachAppender(captured);
        }

        LogstashEncoder json = new LogstashEncoder();
        json.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        json.start();
        assertFalse(captured.list.isEmpty());
        boolean sawJobContext = false;
        for (ILoggingEvent event : captured.list) {
            String line = new String(json.encode(event), StandardCharsets.UTF_8);
            assertFalse(line.contains(PASSWORD), "a log line shows the password: " + line);
            if (event.getFormattedMessage().contains("dead-lettered") || event.getMDCPropertyMap().containsKey("jobId")) {
                sawJobContext |= line.contains("\"requestId\"") && line.contains("\"queue\"") && line.contains("\"jobId\"");
            }
        }
        assertTrue(sawJobContext, "JSON log lines of jobs carry requestId, queue and jobId");
    }
}
