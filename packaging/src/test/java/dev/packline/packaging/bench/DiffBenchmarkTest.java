package dev.packline.packaging.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The diff benchmark's measuring and totals on local files (the npm corpus itself needs the network and is not fetched here). */
class DiffBenchmarkTest {
    static final Path REPO = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path work;

    @Test
    void measuresABundlePairAndAnOfflinePairAndAddsThemUp() throws Exception {
        DiffPairMeasure measure = new DiffPairMeasure(work, 1, 1, DiffBenchmark.cBsdiff(REPO), REPO);
        measure.warmUp(golden("increment/golden/old.js"), golden("increment/golden/new.js"));
        Map<String, Object> bundle = measure.bundle("golden", golden("increment/golden/old.js"), golden("increment/golden/new.js"));
        assertEquals(Files.size(golden("increment/golden/new.js")), ((Number) bundle.get("newBytes")).longValue());
        for (String key : new String[] {"chunkBytes", "greedyBytes", "bsdiffGzBytes", "cBsdiffBytes", "bsdiffGzCommandLineMillis",
                "bsdiffGzCommandLineTieredMillis"}) {
            assertTrue(((Number) bundle.get(key)).doubleValue() > 0, key + " in " + bundle);
        }
        assertTrue(((Number) bundle.get("chunkBytes")).longValue() <= ((Number) bundle.get("greedyBytes")).longValue(),
                "run continuation never makes the output larger than the greedy reference's: " + bundle);
        Map<String, Object> offline = measure.offline("golden", golden("offline/golden/news-1.0.0.zip"), golden("offline/golden/news-1.1.0.zip"));
        assertTrue(((Number) offline.get("offlinePatchBytes")).longValue() > 0, offline.toString());

        DiffBenchmark.Totals totals = new DiffBenchmark.Totals();
        totals.addBundle(bundle);
        totals.addOffline(offline);
        Map<String, Object> summary = totals.summary();
        assertEquals(1, summary.get("bundlePairs"));
        assertEquals(((Number) bundle.get("chunkBytes")).doubleValue(), (double) summary.get("bundle.chunkBytes"));
        Map<?, ?> goal = (Map<?, ?>) ((Map<?, ?>) summary.get("goals")).get("chunkSizeVsGreedy12");
        assertEquals("met", goal.get("outcome"), summary.toString());
    }

    private static Path golden(String name) throws URISyntaxException {
        return Path.of(DiffBenchmarkTest.class.getResource("/dev/packline/packaging/" + name).toURI());
    }
}
