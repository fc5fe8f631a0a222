package dev.packline.packaging.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.packaging.internal.io.FileRegions;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code bin/packline bench diff --apk}: for every real pair (bench/fetch-apk-pairs.sh) and
 * generated large pair, makes C bsdiff's patch and our zip-aware patch, applies both, and prints
 * one JSON line per pair (sizes, wall times, peak memory of every process, exact-bytes check) and
 * a summary line against the goals. The maker and the applier each run in a JVM of their
 * own under GNU time, the applier with a 256 MiB heap limit, so their peaks are theirs alone.
 */
public final class ApkDiffBenchmark {
    private static final String USAGE = """
            Usage: bin/packline bench diff --apk [--pairs DIR] [--large-mb N[,N...]] [--real-only] [--work DIR]

              --pairs DIR     cached real releases (default ~/.cache/packline/apk-pairs, filled by
                              bench/fetch-apk-pairs.sh, which the launcher runs first)
              --large-mb N    sizes of generated pairs' mothers in MiB (default 300; 0: none)
              --real-only     only the real pairs
              --work DIR      where patches and generated APKs go (default: a temporary directory, removed after)
              --maker-heap-mb N  heap of the maker's JVM (default: 12x the pair's size, at least 1 GiB)

            Prints one JSON line per pair, then a summary: total zip-aware / bsdiff size over the real
            pairs (goal <= 0.55), maker / C bsdiff time (goal <= 3), applier peak heap (limit 256 MiB).
            Needs bsdiff, bspatch and /usr/bin/time (bench/install-bsdiff.sh).
            """;
    static final int APPLIER_HEAP_MB = 256;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApkDiffBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        Path pairs = Path.of(System.getProperty("user.home"), ".cache", "packline", "apk-pairs");
        List<Integer> largeMb = List.of(300);
        boolean realOnly = false;
        Path work = null;
        int makerHeapMb = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help" -> {
                    out.print(USAGE);
                    return;
                }
                case "--apk" -> { }
                case "--pairs" -> pairs = Path.of(args[++i]);
                case "--large-mb" -> largeMb = Stream.of(args[++i].split(",")).map(Integer::parseInt).filter(mb -> mb > 0).toList();
                case "--real-only" -> realOnly = true;
                case "--work" -> work = Path.of(args[++i]);
                case "--maker-heap-mb" -> makerHeapMb = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "\n" + USAGE);
            }
        }
        boolean temporary = work == null;
        Path dir = temporary ? Files.createTempDirectory("packline-bench-diff-") : Files.createDirectories(work);
        try {
            List<Map<String, Object>> real = new ArrayList<>();
            for (ApkPairCorpus.Pair pair : ApkPairCorpus.real(pairs)) {
                Map<String, Object> line = measure(pair, dir, makerHeapMb);
                real.add(line);
                out.println(JSON.writeValueAsString(line));
            }
            List<Map<String, Object>> generated = new ArrayList<>();
            for (int mb : realOnly ? List.<Integer>of() : largeMb) {
                ApkPairCorpus.Pair pair = ApkPairCorpus.generated(dir, mb);
                Map<String, Object> line = measure(pair, dir, makerHeapMb);
                generated.add(line);
                out.println(JSON.writeValueAsString(line));
                Files.deleteIfExists(pair.oldApk());
                Files.deleteIfExists(pair.newApk());
            }
            Map<String, Object> summary = BenchSummary.of(real, generated);
            // whether the maker and applier JVMs ran with the launcher's AOT class cache (bin/packline aot)
            summary.put("diffCommandAotCache", DiffCommandJvm.aotCache(Path.of(System.getProperty("packline.home", "."))) != null);
            out.println(JSON.writeValueAsString(summary));
        } finally {
            if (temporary) {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(file);
                    }
                }
            }
        }
    }

    static Map<String, Object> measure(ApkPairCorpus.Pair pair, Path dir, int makerHeapMb) throws IOException {
        long oldBytes = Files.size(pair.oldApk());
        long newBytes = Files.size(pair.newApk());
        String newSha = sha256(pair.newApk());
        Path bsdiffPatch = dir.resolve("pair.bsdiff");
        Path bsdiffOut = dir.resolve("pair-bspatch.apk");
        Path patch = dir.resolve("pair.zipdelta");
        Path applied = dir.resolve("pair-applied.apk");
        try {
            MeasuredProcess.Result bsdiff = MeasuredProcess.run(dir, List.of("bsdiff", pair.oldApk().toString(), pair.newApk().toString(),
                    bsdiffPatch.toString()));
            MeasuredProcess.Result bspatch = MeasuredProcess.run(dir, List.of("bspatch", pair.oldApk().toString(), bsdiffOut.toString(),
                    bsdiffPatch.toString()));
            int heap = makerHeapMb > 0 ? makerHeapMb : (int) Math.max(1024, 12 * ((oldBytes + newBytes) >> 20));
            MeasuredProcess.Result make = MeasuredProcess.run(dir, MeasuredProcess.java(heap, ZipDeltaChild.class, "make",
                    pair.oldApk().toString(), pair.newApk().toString(), patch.toString()));
            MeasuredProcess.Result apply = MeasuredProcess.run(dir, MeasuredProcess.java(APPLIER_HEAP_MB, ZipDeltaChild.class, "apply",
                    pair.oldApk().toString(), patch.toString(), applied.toString()));
            JsonNode made = JSON.readTree(make.stdout());
            JsonNode report = made.get("report");
            JsonNode applying = JSON.readTree(apply.stdout());

            Map<String, Object> line = new LinkedHashMap<>();
            line.put("pair", pair.label());
            line.put("source", pair.source());
            line.put("oldBytes", oldBytes);
            line.put("newBytes", newBytes);
            line.put("bsdiffBytes", Files.size(bsdiffPatch));
            line.put("zipAwareBytes", Files.size(patch));
            line.put("zipAwareToBsdiff", round((double) Files.size(patch) / Files.size(bsdiffPatch)));
            line.put("zipAwareToNew", round((double) Files.size(patch) / newBytes));
            line.put("bsdiffToNew", round((double) Files.size(bsdiffPatch) / newBytes));
            line.put("bsdiffSeconds", bsdiff.seconds());
            line.put("makeSeconds", make.seconds());
            line.put("makeInJvmSeconds", made.get("millis").asLong() / 1000.0);
            line.put("makeMillisByStep", report.get("millis"));
            line.put("bspatchSeconds", bspatch.seconds());
            line.put("applySeconds", apply.seconds());
            line.put("bsdiffPeakRssMb", mb(bsdiff.peakRssBytes()));
            line.put("makePeakHeapMb", mb(made.get("peakHeapBytes").asLong()));
            line.put("makePeakRssMb", mb(make.peakRssBytes()));
            line.put("makeMaxHeapMb", heap);
            line.put("applyPeakHeapMb", mb(applying.get("peakHeapBytes").asLong()));
            line.put("applyPeakRssMb", mb(apply.peakRssBytes()));
            line.put("applyMaxHeapMb", APPLIER_HEAP_MB);
            line.put("bspatchPeakRssMb", mb(bspatch.peakRssBytes()));
            line.put("entries", report.get("entries"));
            line.put("parts", report.get("parts"));
            line.put("exactBytes", newSha.equals(applying.get("newSha256").asText()) && newSha.equals(sha256(applied)));
            line.put("bspatchExactBytes", newSha.equals(sha256(bsdiffOut)));
            return line;
        } finally {
            for (Path file : List.of(bsdiffPatch, bsdiffOut, patch, applied)) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static String sha256(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file)) {
            return FileRegions.sha256(channel);
        }
    }

    static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private static double mb(long bytes) {
        return Math.round(bytes / 104857.6) / 10.0;
    }
}
