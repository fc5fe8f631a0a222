package dev.packline.worker.e2e;

import dev.packline.pipeline.PackagingRequest;
import dev.packline.pipeline.RequestStatus;
import dev.packline.pipeline.RequestStore;
import dev.packline.pipeline.Submitter;
import dev.packline.queue.QueueClient;
import dev.packline.queue.TestRedis;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.redis.RedisConnector;
import dev.packline.settings.Settings;
import dev.packline.worker.WorkerApp;
import dev.packline.worker.WorkerConfig;
import dev.packline.worker.alarm.RecordingAlertChannel;
import dev.packline.worker.stage.PackagingTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The package stage on mothers that are not what they claim (truncated, a signing block whose
 * sizes lie, a central directory pointing outside the file, ZIP64 end records that loop): every
 * channel ends failed with the parser's error, the request ends failed, and no job is left
 * running or retried forever.
 */
class HostileMotherTest {
    @TempDir
    Path temp;

    @Test
    void aHostileMotherDeadLettersEveryChannelWithAClearError() throws Exception {
        Path apks = Files.createDirectories(temp.resolve("apks"));
        byte[] good = Files.readAllBytes(PipelineFixture.mother(apks, "good.apk", 21));
        Map<String, UnaryOperator<byte[]>> hostile = new LinkedHashMap<>();
        hostile.put("truncated", b -> Arrays.copyOf(b, b.length - 300));
        hostile.put("signing-block-size-lies", b -> {
            ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            int cd = le.getInt(b.length - 22 + 16);
            le.putLong(cd - 24, Long.MAX_VALUE);
            return b;
        });
        hostile.put("central-directory-outside", b -> {
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length - 22 + 16, b.length + 4096);
            return b;
        });
        hostile.put("zip64-loop", b -> {
            int eocd = b.length - 22;
            byte[] looped = new byte[b.length + 20];
            System.arraycopy(b, 0, looped, 0, eocd);
            System.arraycopy(b, eocd, looped, eocd + 20, 22);
            ByteBuffer out = ByteBuffer.wrap(looped).order(ByteOrder.LITTLE_ENDIAN);
            out.putInt(eocd, 0x07064b50).putInt(eocd + 4, 0).putLong(eocd + 8, eocd).putInt(eocd + 16, 1);
            out.putInt(eocd + 20 + 16, 0xFFFFFFFF);
            return looped;
        });
        WorkerConfig config = WorkerConfig.read(Settings.parse("e2e.yml", PipelineFixture.yaml(TestRedis.url(), apks, temp, ""), Map.of()));
        try (RedisQueueBroker broker = TestRedis.broker(Clock.systemUTC()); UnifiedJedis redis = RedisConnector.open(TestRedis.url(), 4)) {
            PipelineFixture.ensureStageQueues(broker);
            RequestStore requests = new RequestStore(redis, Clock.systemUTC(), Duration.ofDays(1));
            try (WorkerApp app = new WorkerApp(config, PackagingTools.channelBuilder(), PackagingTools.patchMaker(), new RecordingAlertChannel(),
                    Clock.systemUTC()).start()) {
                for (Map.Entry<String, UnaryOperator<byte[]>> kind : hostile.entrySet()) {
                    Path mother = Files.write(apks.resolve(kind.getKey() + ".apk"), kind.getValue().apply(good.clone()));
                    PackagingRequest request = PipelineFixture.request(mother, 2, List.of());
                    new Submitter(requests, new QueueClient(broker), 3, Duration.ofMinutes(2)).submit(request);

                    RequestStatus status = PipelineEndToEndTest.awaitFinished(requests, request.id(), 120);
                    assertEquals("failed", status.state(), kind.getKey() + ": " + status);
                    assertEquals(2, status.failed(), kind.getKey() + ": every channel failed");
                    assertEquals(2, status.channels().size(), kind.getKey() + ": " + status.channels());
                    for (Map<String, Object> channel : status.channels()) {
                        String error = String.valueOf(channel.get("error"));
                        assertFalse(channel.get("error") == null || error.isBlank(), kind.getKey() + ": a failed channel says why: " + channel);
                        assertTrue(error.length() < 2_000, kind.getKey() + ": the error is a message, not a dump: " + error.length());
                    }
                }
            }
        }
    }
}
