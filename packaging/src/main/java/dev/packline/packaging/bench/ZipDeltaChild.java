package dev.packline.packaging.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.apkpatch.ApkPatchApplier;
import dev.packline.apkpatch.AppliedPatch;
import dev.packline.packaging.zipdelta.ZipDeltaMaker;
import dev.packline.packaging.zipdelta.ZipDeltaReport;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The maker or the applier alone in a JVM of its own, so {@link ApkDiffBenchmark} can give each a
 * heap limit and measure its peak: {@code make OLD NEW PATCH} or {@code apply OLD PATCH OUT}.
 * Prints one JSON object: the step's report, its milliseconds inside the JVM and the peak heap.
 */
public final class ZipDeltaChild {
    private ZipDeltaChild() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, Object> json = new LinkedHashMap<>();
        long started = System.nanoTime();
        if (args.length == 4 && args[0].equals("make")) {
            ZipDeltaReport report = new ZipDeltaMaker().make(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]));
            json.put("report", report);
        } else if (args.length == 4 && args[0].equals("apply")) {
            AppliedPatch applied = new ApkPatchApplier().apply(Path.of(args[1]).toFile(), Path.of(args[2]).toFile(), Path.of(args[3]).toFile());
            json.put("newSha256", applied.newSha256());
        } else {
            throw new IllegalArgumentException("usage: ZipDeltaChild make OLD NEW PATCH | apply OLD PATCH OUT");
        }
        json.put("millis", (System.nanoTime() - started) / 1_000_000);
        json.put("peakHeapBytes", ManagementFactory.getMemoryPoolMXBeans().stream().filter(pool -> pool.getType() == MemoryType.HEAP)
                .map(MemoryPoolMXBean::getPeakUsage).mapToLong(usage -> usage.getUsed()).sum());
        json.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        System.out.println(new ObjectMapper().writeValueAsString(json));
    }
}
