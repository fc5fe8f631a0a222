package dev.packline.demo.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.packline.redis.EmbeddedRedis;
import dev.packline.storage.s3proxy.DialectAdapter.Dialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The full path through real processes: the producer API, a supervisor with two worker processes,
 * a redis-server, and an OSS object server (S3Proxy behind the OSS dialect, in this JVM). A
 * publisher submits 200 channels with a patch from the previous release over HTTP; every channel
 * object is downloaded from the object server, verified with apksig and its channel read back;
 * the patch rebuilds the new release; the webhook receiver gets the request's summary with a valid
 * Standard Webhooks signature; no job is left in any queue structure.
 */
class FullPathSystemTest {
    private static final int CHANNELS = 200;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // logs and downloads stay for a failure
    Path dir;

    @Test
    void twoHundredChannelsAndAPatchGoThroughEveryProcessIntoTheObjectStore() throws Exception {
        Path home = Path.of("").toAbsolutePath().getParent();
        List<String> names = Platform.channelNames("full", CHANNELS);
        try (EmbeddedRedis redis = EmbeddedRedis.start();
             Platform platform = Platform.start(home, dir, redis.url(), Dialect.OSS, Map.of())) {
            String requestId = platform.submit("full-path-" + dir.getFileName(), names);
            JsonNode status = platform.awaitEnded(requestId, Duration.ofMinutes(4));

            assertEquals("done", status.path("state").asText(), Platform.summary(status));
            List<String> problems = new ArrayList<>(SystemChecks.channelsInStore(platform, status, names, true));
            problems.addAll(SystemChecks.patchesApply(platform, status));
            problems.addAll(SystemChecks.countsMatchStore(status, CHANNELS,
                    platform.storedKeys().stream().filter(k -> k.startsWith(Platform.PREFIX) && k.endsWith(".apk")).count()));
            problems.addAll(SystemChecks.awaitNoJobLeft(redis.url(), Duration.ofSeconds(60)));
            assertTrue(problems.isEmpty(), problems + "\nlogs in " + platform.logs());
            assertTrue(platform.webhook().verifiedFor(requestId), platform.webhook().describe(requestId));
        }
    }
}
