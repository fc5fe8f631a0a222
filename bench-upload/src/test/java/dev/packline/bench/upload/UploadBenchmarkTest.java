package dev.packline.bench.upload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.queue.TestRedis;
import dev.packline.storage.s3proxy.DialectAdapter.Dialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The benchmark's whole run on a tiny mother (12 MiB, 5 MiB parts, 2 channels, one round, both
 * dialects), so it cannot rot: the printed figures must describe what happened. No timing is
 * asserted, only that rates were measured.
 */
class UploadBenchmarkTest {

    @Test
    void tinyRunReportsPartCopyChannelsAsTailsAndWholeUploadsAsApks(@TempDir Path work) throws Exception {
        var params = new UploadBenchmark.Params(12, 2, 1, List.of(Dialect.OSS, Dialect.KS3), 5, 4, 2, TestRedis.url());
        JsonNode json = new ObjectMapper().valueToTree(UploadBenchmark.run(params, work));

        long motherBytes = json.get("motherBytes").asLong();
        assertTrue(motherBytes > 12L << 20 && motherBytes < 13L << 20, "mother size: " + json);
        for (String kind : List.of("oss", "ks3")) {
            JsonNode store = json.get(kind);
            assertTrue(store != null, kind + " figures missing: " + json);
            assertEquals(3, store.get("multipartParts").asInt(), kind + ": 12 MiB in 5 MiB parts: " + store);
            assertTrue(store.get("multipartMiBPerSecond").asDouble() > 0, kind + ": " + store);
            assertTrue(store.get("plainPutMiBPerSecond").asDouble() > 0, kind + ": " + store);
            assertEquals(1, store.get("multipartMiBPerSecondRounds").size(), kind + ": " + store);

            long channelBytes = store.get("channelBytes").asLong();
            assertTrue(channelBytes > motherBytes - (64 << 10) && channelBytes < motherBytes + (64 << 10), kind + ": " + store);
            assertTrue(store.get("partCopyBytesSentMax").asLong() > 0 && store.get("partCopyBytesSentMax").asLong() < 64 << 10,
                    kind + ": part copy sends only the tail: " + store);
            assertTrue(store.get("partCopyRequestBodyBytesPerChannel").asDouble() < 64 << 10, kind + ": " + store);
            assertEquals(channelBytes, store.get("wholeBytesSentPerChannel").asLong(), kind + ": the whole APK, sent once: " + store);
            double wholeBodies = store.get("wholeRequestBodyBytesPerChannel").asDouble();
            assertTrue(wholeBodies >= channelBytes && wholeBodies < channelBytes + (16 << 10), kind + ": the adapter saw the APK plus the completion: " + store);
            assertEquals(2, store.get("channelsUploaded").asInt(), kind + ": " + store);
            assertEquals(2, store.get("channelsDownloadedEqual").asInt(), kind + ": " + store);
        }
    }
}
