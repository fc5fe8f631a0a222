package dev.packline.packaging.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The last line of {@code bench diff --apk}: the goals checked over all pairs. */
final class BenchSummary {
    private BenchSummary() {
    }

    static Map<String, Object> of(List<Map<String, Object>> real, List<Map<String, Object>> generated) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("summary", "bench diff --apk");
        summary.put("realPairs", real.size());
        long newBytes = sum(real, "newBytes");
        long bsdiff = sum(real, "bsdiffBytes");
        long zipAware = sum(real, "zipAwareBytes");
        summary.put("realNewBytes", newBytes);
        summary.put("realBsdiffBytes", bsdiff);
        summary.put("realZipAwareBytes", zipAware);
        summary.put("realZipAwareToBsdiff", bsdiff == 0 ? null : ApkDiffBenchmark.round((double) zipAware / bsdiff));
        summary.put("sizeGoal", 0.55);
        summary.put("realZipAwareToNew", newBytes == 0 ? null : ApkDiffBenchmark.round((double) zipAware / newBytes));
        summary.put("realBsdiffToNew", newBytes == 0 ? null : ApkDiffBenchmark.round((double) bsdiff / newBytes));
        List<Map<String, Object>> all = new java.util.ArrayList<>(real);
        all.addAll(generated);
        summary.put("makeToBsdiffTimeWall", ratio(all, "makeSeconds", "bsdiffSeconds"));
        summary.put("makeToBsdiffTimeInJvm", ratio(all, "makeInJvmSeconds", "bsdiffSeconds"));
        summary.put("makeToBsdiffTimeWallWorstPair", all.stream().mapToDouble(line -> (double) line.get("makeSeconds")
                / Math.max(0.01, (double) line.get("bsdiffSeconds"))).map(ApkDiffBenchmark::round).max().orElse(0));
        summary.put("timeGoal", 3.0);
        summary.put("applyPeakHeapMbMax", all.stream().mapToDouble(line -> (double) line.get("applyPeakHeapMb")).max().orElse(0));
        summary.put("applyHeapLimitMb", ApkDiffBenchmark.APPLIER_HEAP_MB);
        summary.put("generatedPairs", generated.size());
        summary.put("allExact", all.stream().allMatch(line -> Boolean.TRUE.equals(line.get("exactBytes"))));
        return summary;
    }

    private static long sum(List<Map<String, Object>> lines, String key) {
        return lines.stream().mapToLong(line -> ((Number) line.get(key)).longValue()).sum();
    }

    private static Double ratio(List<Map<String, Object>> lines, String numerator, String denominator) {
        double bottom = lines.stream().mapToDouble(line -> ((Number) line.get(denominator)).doubleValue()).sum();
        double top = lines.stream().mapToDouble(line -> ((Number) line.get(numerator)).doubleValue()).sum();
        return bottom == 0 ? null : ApkDiffBenchmark.round(top / bottom);
    }
}
