package dev.packline.packaging.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.packaging.offline.LoadingStrategy;
import dev.packline.packaging.offline.OfflinePackageWriter;
import dev.packline.packaging.offline.PackageRole;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code bin/packline bench diff}: increments for JavaScript bundles and offline packages over a
 * corpus of real npm releases ({@link NpmCorpus}), one JSON line per pair ({@link DiffPairMeasure})
 * and a last line with the totals and the goals, each with the measured ratio and whether
 * it was met. C bsdiff is Debian's {@code bsdiff}, installed by bin/install-debian-package.sh when
 * missing. (APK pairs are {@code bench diff --apk}, a separate benchmark.)
 */
public final class DiffBenchmark {
    private static final String USAGE = """
            Usage: bin/packline bench diff [--rounds N] [--warmup N] [--cache DIR] [--work DIR]

              --rounds N   timed runs per measurement; times are medians (default 3)
              --warmup N   untimed runs of the in-process makers on every bundle pair before any is timed, and again
                           before each in-process measurement (default 5)
              --cache DIR  where npm tarballs and extracted releases are kept (default ~/.cache/packline/npm)
              --work DIR   scratch directory for increments and packed zips (default: a temporary one, removed after)

            Bundles: consecutive releases of react-dom, lodash, vue, jquery, moment and echarts (their
            minified builds); offline packages: consecutive releases of bootstrap's and vue's dist/
            folders, packed with a manifest. Per pair: the new file's gzip size, chunk increments
            (12-character chunks, raw and gzipped), the classic greedy chunk maker's output, bsdiff-gz
            (in process, and through `diff make` in a fresh JVM with the launcher's config/diff-cli.jvm-options
            and with the default tiered JIT), offline patches, and C bsdiff on the
            same files; then the totals against the goals in docs/benchmarks.md.
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    private DiffBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        int rounds = 3;
        int warmups = 5;
        Path cache = NpmCorpus.defaultCache();
        Path work = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help" -> {
                    out.print(USAGE);
                    return;
                }
                case "--rounds" -> rounds = Integer.parseInt(value(args, ++i));
                case "--warmup" -> warmups = Integer.parseInt(value(args, ++i));
                case "--cache" -> cache = Path.of(value(args, ++i));
                case "--work" -> work = Path.of(value(args, ++i));
                default -> {
                    System.err.println("packline: unknown option " + args[i] + "\n" + USAGE);
                    System.exit(2);
                }
            }
        }
        if (rounds < 1 || warmups < 1) {
            System.err.println("packline: --rounds and --warmup must be at least 1");
            System.exit(2);
        }
        boolean temporary = work == null;
        Path dir = temporary ? Files.createTempDirectory("packline-bench-diff-") : Files.createDirectories(work);
        try {
            Path home = Path.of(System.getProperty("packline.home", "."));
            DiffPairMeasure measure = new DiffPairMeasure(dir, rounds, warmups, cBsdiff(home), home);
            NpmCorpus corpus = new NpmCorpus(cache);
            Totals totals = new Totals();
            for (NpmCorpus.Bundle bundle : NpmCorpus.BUNDLES) {
                List<Path> files = corpus.files(bundle);
                for (int i = 1; i < files.size(); i++) {
                    measure.warmUp(files.get(i - 1), files.get(i));
                }
            }
            for (NpmCorpus.Bundle bundle : NpmCorpus.BUNDLES) {
                List<Path> files = corpus.files(bundle);
                for (int i = 1; i < files.size(); i++) {
                    String name = bundle.npmPackage() + " " + bundle.versions().get(i - 1) + " -> " + bundle.versions().get(i);
                    print(out, totals.addBundle(measure.bundle(name, files.get(i - 1), files.get(i))));
                }
            }
            for (NpmCorpus.Folder folder : NpmCorpus.FOLDERS) {
                List<Path> folders = corpus.folders(folder);
                for (int i = 1; i < folders.size(); i++) {
                    String older = folder.versions().get(i - 1);
                    String newer = folder.versions().get(i);
                    Path oldZip = pack(folders.get(i - 1), folder.npmPackage(), older, dir);
                    Path newZip = pack(folders.get(i), folder.npmPackage(), newer, dir);
                    print(out, totals.addOffline(measure.offline(folder.npmPackage() + " " + folder.folder() + "/ " + older + " -> " + newer,
                            oldZip, newZip)));
                }
            }
            Map<String, Object> summary = totals.summary();
            // whether the command-line maker ran with the launcher's AOT class cache (bin/packline aot)
            summary.put("diffCommandAotCache", DiffCommandJvm.aotCache(home) != null);
            print(out, summary);
        } finally {
            if (temporary) {
                NpmCorpus.deleteTree(dir);
            }
        }
    }

    private static Path pack(Path folder, String id, String version, Path dir) throws Exception {
        Path zip = dir.resolve(id + "-" + version + ".zip");
        new OfflinePackageWriter().pack(folder, new OfflinePackageWriter.Identity(id, version, PackageRole.MAIN, Optional.empty(),
                LoadingStrategy.STARTUP), zip);
        return zip;
    }

    /** Debian's bsdiff, installed through the project's script when it is not on PATH. */
    static String cBsdiff(Path home) throws IOException, InterruptedException {
        Process install = new ProcessBuilder(home.resolve("bin/install-debian-package.sh").toString(), "bsdiff", "bsdiff")
                .redirectErrorStream(true).start();
        String output = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (install.waitFor() != 0) {
            throw new IOException("C bsdiff is needed as the benchmark's reference and could not be installed: " + output);
        }
        return "bsdiff";
    }

    private static void print(PrintStream out, Map<String, Object> json) throws IOException {
        out.println(JSON.writeValueAsString(json));
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            System.err.println("packline: " + args[i - 1] + " needs a value");
            System.exit(2);
        }
        return args[i];
    }

    /** Sums over the corpus and the goals of issue 20, each as a measured ratio and whether it is met. */
    static final class Totals {
        private final Map<String, Double> sums = new LinkedHashMap<>();
        private double maxIndexBytesPerOldByte;
        private int bundlePairs;
        private int offlinePairs;

        Map<String, Object> addBundle(Map<String, Object> pair) {
            bundlePairs++;
            for (String key : List.of("newBytes", "newGzipBytes", "chunkBytes", "chunkGzipBytes", "chunkMillis", "greedyBytes",
                    "greedyGzipBytes", "greedyMillis", "bsdiffGzBytes", "bsdiffGzMillis", "bsdiffGzCommandLineMillis", "bsdiffGzCommandLineTieredMillis", "cBsdiffBytes",
                    "cBsdiffMillis")) {
                sums.merge("bundle." + key, ((Number) pair.get(key)).doubleValue(), Double::sum);
            }
            maxIndexBytesPerOldByte = Math.max(maxIndexBytesPerOldByte,
                    ((Number) pair.get("chunkIndexHeapBytes")).doubleValue() / ((Number) pair.get("oldBytes")).doubleValue());
            return pair;
        }

        Map<String, Object> addOffline(Map<String, Object> pair) {
            offlinePairs++;
            for (String key : List.of("newZipBytes", "offlinePatchBytes", "offlinePatchMillis", "cBsdiffBytes", "cBsdiffMillis")) {
                sums.merge("offline." + key, ((Number) pair.get(key)).doubleValue(), Double::sum);
            }
            return pair;
        }

        Map<String, Object> summary() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("totals", true);
            json.put("bundlePairs", bundlePairs);
            json.put("offlinePairs", offlinePairs);
            sums.forEach((key, value) -> json.put(key, Math.round(value * 10) / 10.0));
            Map<String, Object> goals = new LinkedHashMap<>();
            goals.put("bsdiffGzSizeVsCBsdiff", goal(ratio("bundle.bsdiffGzBytes", "bundle.cBsdiffBytes"), "<=", 1.2));
            goals.put("bsdiffGzCommandLineTimeVsCBsdiff", goal(ratio("bundle.bsdiffGzCommandLineMillis", "bundle.cBsdiffMillis"), "<=", 1.5));
            json.put("bsdiffGzCommandLineTieredTimeVsCBsdiff", ratio("bundle.bsdiffGzCommandLineTieredMillis", "bundle.cBsdiffMillis"));
            json.put("bsdiffGzWarmTimeVsCBsdiff", ratio("bundle.bsdiffGzMillis", "bundle.cBsdiffMillis"));
            goals.put("chunkSizeVsGreedy12", goal(ratio("bundle.chunkBytes", "bundle.greedyBytes"), "<=", 1.0));
            goals.put("cBsdiffTimeVsChunkWarm", goal(ratio("bundle.cBsdiffMillis", "bundle.chunkMillis"), ">=", 10));
            goals.put("offlinePatchVsCBsdiffOfZips", goal(ratio("offline.offlinePatchBytes", "offline.cBsdiffBytes"), "<=", 0.08));
            json.put("goals", goals);
            json.put("chunkIndexHeapBytesPerOldByteMax", Math.round(maxIndexBytesPerOldByte * 1000) / 1000.0);
            return json;
        }

        private double ratio(String numerator, String denominator) {
            double bottom = sums.getOrDefault(denominator, 0.0);
            return bottom == 0 ? Double.NaN : Math.round(sums.getOrDefault(numerator, 0.0) / bottom * 1000) / 1000.0;
        }

        private static Map<String, Object> goal(double measured, String comparison, double target) {
            boolean met = comparison.equals("<=") ? measured <= target : measured >= target;
            Map<String, Object> goal = new LinkedHashMap<>();
            goal.put("measured", measured);
            goal.put("target", comparison + " " + target);
            goal.put("outcome", Double.isNaN(measured) ? "not-measured" : met ? "met" : "missed");
            return goal;
        }
    }
}
