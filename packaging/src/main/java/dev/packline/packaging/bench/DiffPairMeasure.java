package dev.packline.packaging.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.packaging.PackagingException;
import dev.packline.packaging.increment.BsdiffGzipApplier;
import dev.packline.packaging.increment.BsdiffGzipMaker;
import dev.packline.packaging.increment.ChunkIncrementApplier;
import dev.packline.packaging.increment.ChunkIncrementMaker;
import dev.packline.packaging.increment.IncrementReport;
import dev.packline.packaging.offline.OfflinePatchApplier;
import dev.packline.packaging.offline.OfflinePatchMaker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Measures one pair for the diff benchmark: sizes and times of each Packline format, of the classic
 * greedy chunk maker and of C bsdiff on the same files in the same run. Warm times are the median of
 * {@code rounds} runs after {@code warmups} unmeasured runs (one run leaves the JIT still compiling); C bsdiff's time is its process's wall time (median of
 * as many runs). Every Packline output is applied once and compared with the new file.
 */
final class DiffPairMeasure {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path work;
    private final int rounds;
    private final int warmups;
    private final String bsdiff;
    private final List<String> cliJvmOptions;

    /** {@code home}: the checkout or release whose JVM options the launcher gives {@code diff make} ({@link DiffCommandJvm}). */
    DiffPairMeasure(Path work, int rounds, int warmups, String bsdiff, Path home) throws IOException {
        this.work = work;
        this.rounds = rounds;
        this.warmups = warmups;
        this.bsdiff = bsdiff;
        this.cliJvmOptions = DiffCommandJvm.options(home);
    }

    /**
     * Runs the in-process makers on a bundle pair {@code warmups} times, unmeasured. The benchmark
     * does this for every pair before timing any: with only each pair's own warm-up runs, the first
     * pairs were timed while the JIT was still compiling the makers (react-dom's chunk increment took
     * 166 ms "warm", ten times its CPU time, while echarts' eight-times-larger one took 48 ms), and a
     * worker that makes increments all day runs compiled code.
     */
    void warmUp(Path oldFile, Path newFile) throws Exception {
        ChunkIncrementMaker maker = new ChunkIncrementMaker(ChunkIncrementMaker.DEFAULT_CHUNK_SIZE);
        GreedyChunkMaker greedy = new GreedyChunkMaker(ChunkIncrementMaker.DEFAULT_CHUNK_SIZE);
        String oldText = Files.readString(oldFile);
        String newText = Files.readString(newFile);
        for (int warmup = 0; warmup < warmups; warmup++) {
            maker.make(oldFile, newFile, work.resolve("warm-up.json"));
            greedy.make(oldText, newText);
            new BsdiffGzipMaker().make(oldFile, newFile, work.resolve("warm-up.bin"));
        }
    }

    /** A bundle pair: chunk, greedy reference, bsdiff-gz (in process and through the command line), C bsdiff. */
    Map<String, Object> bundle(String name, Path oldFile, Path newFile) throws Exception {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("pair", name);
        json.put("oldBytes", Files.size(oldFile));
        json.put("newBytes", Files.size(newFile));
        json.put("newGzipBytes", gzip(Files.readAllBytes(newFile)).length);

        Path chunk = work.resolve("chunk.json");
        ChunkIncrementMaker maker = new ChunkIncrementMaker(ChunkIncrementMaker.DEFAULT_CHUNK_SIZE);
        IncrementReport[] last = new IncrementReport[1];
        long[] allocated = new long[1];
        double chunkMillis = warmMedian(() -> {
            long before = allocatedBytes();
            last[0] = maker.make(oldFile, newFile, chunk);
            allocated[0] = allocatedBytes() - before;
        });
        new ChunkIncrementApplier().apply(oldFile, chunk, work.resolve("chunk-applied"));
        requireSame(newFile, work.resolve("chunk-applied"), "chunk");
        byte[] chunkBytes = Files.readAllBytes(chunk);
        json.put("chunkBytes", chunkBytes.length);
        json.put("chunkGzipBytes", gzip(chunkBytes).length);
        json.put("chunkMillis", chunkMillis);
        json.put("chunkIndexHeapBytes", last[0].indexHeapBytes());
        json.put("chunkAllocatedBytes", allocated[0]);

        String oldText = Files.readString(oldFile);
        String newText = Files.readString(newFile);
        GreedyChunkMaker greedy = new GreedyChunkMaker(ChunkIncrementMaker.DEFAULT_CHUNK_SIZE);
        byte[][] greedyBytes = new byte[1][];
        double greedyMillis = warmMedian(() -> greedyBytes[0] = greedy.make(oldText, newText));
        json.put("greedyBytes", greedyBytes[0].length);
        json.put("greedyGzipBytes", gzip(greedyBytes[0]).length);
        json.put("greedyMillis", greedyMillis);

        Path bsdiffGz = work.resolve("bsdiff-gz.bin");
        double bsdiffGzMillis = warmMedian(() -> new BsdiffGzipMaker().make(oldFile, newFile, bsdiffGz));
        new BsdiffGzipApplier().apply(oldFile, bsdiffGz, work.resolve("bsdiff-gz-applied"));
        requireSame(newFile, work.resolve("bsdiff-gz-applied"), "bsdiff-gz");
        json.put("bsdiffGzBytes", Files.size(bsdiffGz));
        json.put("bsdiffGzMillis", bsdiffGzMillis);
        json.put("bsdiffGzCommandLineMillis", commandLineMillis(cliJvmOptions, oldFile, newFile, bsdiffGz));
        json.put("bsdiffGzCommandLineTieredMillis", commandLineMillis(List.of(), oldFile, newFile, bsdiffGz));

        putCBsdiff(json, oldFile, newFile);
        return json;
    }

    /** An offline pair: the per-file patch against C bsdiff of the whole zips. */
    Map<String, Object> offline(String name, Path oldZip, Path newZip) throws Exception {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("pair", name);
        json.put("oldZipBytes", Files.size(oldZip));
        json.put("newZipBytes", Files.size(newZip));
        Path patch = work.resolve("offline.patch");
        OfflinePatchMaker.Made[] made = new OfflinePatchMaker.Made[1];
        double millis = warmMedian(() -> made[0] = new OfflinePatchMaker().make(oldZip, newZip, patch));
        String applied = new OfflinePatchApplier().apply(oldZip, patch, work.resolve("offline-applied.zip")).packageSha256();
        if (!applied.equals(made[0].newPackageSha256())) {
            throw new IllegalStateException("the offline patch for " + name + " does not rebuild the new package");
        }
        json.put("files", Map.of("unchanged", made[0].unchanged(), "changed", made[0].changed(), "added", made[0].added(),
                "removed", made[0].removed()));
        json.put("offlinePatchBytes", made[0].patchBytes());
        json.put("offlinePatchMillis", millis);
        putCBsdiff(json, oldZip, newZip);
        return json;
    }

    private void putCBsdiff(Map<String, Object> json, Path oldFile, Path newFile) throws Exception {
        Path out = work.resolve("c.bsdiff");
        List<Double> times = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            long started = System.nanoTime();
            Process process = new ProcessBuilder(bsdiff, oldFile.toString(), newFile.toString(), out.toString())
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IOException("bsdiff failed: " + output);
            }
            times.add((System.nanoTime() - started) / 1e6);
        }
        json.put("cBsdiffBytes", Files.size(out));
        json.put("cBsdiffMillis", median(times));
    }

    /**
     * bsdiff-gz made by {@code diff make --format bsdiff-gz} in a fresh JVM, as the command line
     * runs it: the maker's own "millis" (reading both files, diffing, compressing), which leaves out
     * the JVM's and the launcher's start-up but not a cold JIT. {@code jvmOptions}: the launcher's
     * ({@code @config/diff-cli.jvm-options}, C1 only), or none for the JDK's default tiered JIT beside it.
     */
    private double commandLineMillis(List<String> jvmOptions, Path oldFile, Path newFile, Path out) throws Exception {
        List<Double> times = new ArrayList<>();
        String java = ProcessHandle.current().info().command().orElse("java");
        for (int round = 0; round < rounds; round++) {
            List<String> command = new ArrayList<>(List.of(java));
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.packline.packaging.cli.DiffCommand", "make", "--format",
                    "bsdiff-gz", "--old", oldFile.toString(), "--new", newFile.toString(), "--out", out.toString()));
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IOException("diff make --format bsdiff-gz failed (" + command + "): " + output);
            }
            JsonNode json = JSON.readTree(output);
            times.add(json.get("millis").asDouble());
        }
        return median(times);
    }

    interface Step {
        void run() throws Exception;
    }

    private double warmMedian(Step step) throws Exception {
        for (int warmup = 0; warmup < warmups; warmup++) {
            step.run();
        }
        List<Double> times = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            long started = System.nanoTime();
            step.run();
            times.add((System.nanoTime() - started) / 1e6);
        }
        return median(times);
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double middle = sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        return Math.round(middle * 10) / 10.0;
    }

    private static void requireSame(Path expected, Path actual, String format) throws IOException, PackagingException {
        if (!Arrays.equals(Files.readAllBytes(expected), Files.readAllBytes(actual))) {
            throw new PackagingException(PackagingException.Problem.VERIFICATION_FAILED, format + " did not rebuild " + expected);
        }
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3 + 64);
        try (DeflaterOutputStream gzip = new GZIPOutputStream(out) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }
}
