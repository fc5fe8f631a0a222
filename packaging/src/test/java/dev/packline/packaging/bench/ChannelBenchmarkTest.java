package dev.packline.packaging.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's own bookkeeping, on a small mother: what it reports adds up, and it leaves only the mother. */
class ChannelBenchmarkTest {
    @TempDir
    Path work;

    @Test
    void warmupAndMeasuredRoundsAreReportedApartAndEveryOutputIsDeleted() throws Exception {
        Map<String, Object> json = ChannelBenchmark.run(work, 2, 4, 2, 1, 21);

        assertEquals(2, ((List<?>) json.get("roundRatios")).size());
        assertEquals(1, ((List<?>) json.get("warmupRatios")).size());
        assertEquals(2, json.get("fullyVerifiedWithApksig"), "one apksig run per measured batch, the rest structural");
        assertTrue((double) json.get("channelSeconds") > 0, json.toString());
        assertTrue((double) json.get("channelToCopyRatio") > 0, "copies were timed: " + json);
        try (Stream<Path> left = Files.list(work)) {
            assertEquals(List.of("mother.apk"), left.map(p -> p.getFileName().toString()).toList());
        }
    }
}
