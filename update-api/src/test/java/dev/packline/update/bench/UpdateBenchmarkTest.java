package dev.packline.update.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's bookkeeping on a tiny catalogue and a short real wrk run (no figure is judged
 * here: speed lives in the benchmark's own runs, docs/benchmarks.md): every check was answered,
 * the figures add up, and each goal sits beside its figure, not judged where the run's load or
 * catalogue is not the goal's.
 */
class UpdateBenchmarkTest {

    @Test
    void aShortRunReportsEveryFigureWithTheGoalsBesideThem() throws Exception {
        ObjectNode run = UpdateBenchmark.run(new UpdateBenchmark.Options(3, 2, 4, Duration.ofSeconds(1), Duration.ofSeconds(1), 3, false));

        assertEquals(0, run.get("errors").asLong(), "wrk saw failed checks: " + run);
        assertTrue(run.get("checksPerSec").asLong() > 0 && run.get("ceilingPerSec").asLong() > 0, run.toString());
        assertEquals(run.get("checksPerSec").asDouble() / run.get("ceilingPerSec").asDouble(), run.get("ratio").asDouble(), 0.01, run.toString());
        assertTrue(run.get("p50Ms").asDouble() <= run.get("p99Ms").asDouble() && run.get("p99Ms").asDouble() <= run.get("maxMs").asDouble(), run.toString());
        assertTrue(run.get("propagationP99Ms").asDouble() >= 0, run.toString());
        assertTrue(run.get("checkCpuUs").asDouble() > 0 && run.get("ceilingCpuUs").asDouble() > 0, "each side used CPU: " + run);
        assertEquals(run.get("ceilingCpuUs").asDouble() / run.get("checkCpuUs").asDouble(), run.get("cpuRatio").asDouble(), 0.01, run.toString());
        assertTrue(run.get("checkAllocBytes").asLong() > 0 && run.get("ceilingAllocBytes").asLong() > 0, "each side allocated: " + run);

        JsonNode goals = run.get("goals");
        List<String> figures = new ArrayList<>();
        goals.fieldNames().forEachRemaining(figures::add);
        assertEquals(List.of("ratio", "p99Ms", "propagationP99Ms", "heapMb", "errors"), figures);
        for (String figure : figures) {
            assertEquals(run.get(figure), goals.get(figure).get("measured"), figure);
        }
        assertEquals("not judged", goals.get("p99Ms").get("outcome").asText(), "the p99 goal is for 256 connections, this run had 4");
        assertEquals("not judged", goals.get("heapMb").get("outcome").asText(), "the heap goal is for 1,000 apps x 20 releases");
        assertEquals("met", goals.get("errors").get("outcome").asText());
    }

    @Test
    void wrksSummaryLineIsReadAfterItsOwnTextAndNon2xxAnswersAreNotCountedAsChecks() {
        WrkLoad.Result r = WrkLoad.parse("""
                Running 1s test @ http://127.0.0.1:1234/v1/check
                  2 threads and 4 connections
                Requests/sec:   1000.00
                {"requests":1000,"durationUs":2000000,"connectErrors":1,"readErrors":0,"writeErrors":0,"statusErrors":10,"timeouts":2,"p50Us":1234,"p90Us":2000,"p99Us":5678,"maxUs":9000}
                """);

        assertEquals(990, r.checks());
        assertEquals(13, r.errors());
        assertEquals(495.0, r.perSecond());
        assertEquals(1.23, r.p50Ms());
        assertEquals(5.68, r.p99Ms());
        assertEquals(9.0, r.maxMs());
    }

    @Test
    void pinningSplitsTheAllowedCpusBetweenServerAndLoad() {
        assertTrue(UpdateBenchmark.parse(new String[] {"--pin", "--seconds", "3"}).pin());
        assertEquals(3, UpdateBenchmark.parse(new String[] {"--pin", "--seconds", "3"}).duration().toSeconds());
        assertTrue(!UpdateBenchmark.parse(new String[] {"--seconds", "3"}).pin());
        assertEquals(List.of(0, 1), WrkLoad.cpus("0-1"));
        assertEquals(List.of(0, 2, 3, 8), WrkLoad.cpus("0,2-3,8"));
    }
}
