package dev.packline.packaging.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.packaging.Channel;
import dev.packline.packaging.ChannelBatch;
import dev.packline.packaging.ChannelWriter;
import dev.packline.packaging.PackagingException;
import dev.packline.packaging.WrittenChannel;
import dev.packline.packaging.internal.io.FileRegions;
import dev.packline.packaging.sample.SampleApkBuilder;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code bin/packline bench channel}: builds a signed mother of the given size, then, for each
 * round, writes a batch of channel APKs from it exactly as {@code channel write} does (a new writer
 * each round, so the once-per-mother verification is paid every time) and makes as many plain
 * copies of the mother, one after each reported channel APK, so drift on a shared machine falls on
 * both sides alike. Every output is deleted as soon as it is done, on both sides. Warm-up
 * rounds (one by default) run the same way first and are reported apart, so the measured rounds
 * show a running worker's speed rather than a fresh JVM's class loading and JIT compilation. Prints
 * one JSON line with both throughputs, the ratio of each round, and the peak heap of the measured part.
 */
public final class ChannelBenchmark {
    private static final String USAGE = """
            Usage: bin/packline bench channel [--size-mb N] [--channels N] [--rounds N] [--warmup-rounds N]
                                          [--min-sdk 21|24] [--dir DIR]

              --size-mb N    size of the generated signed mother in MiB (default 200)
              --channels N   channel APKs per batch, and plain copies per round (default 50)
              --rounds N     measured batches, each with as many plain copies interleaved (default 5)
              --warmup-rounds N  rounds run first and reported apart (default 1; 0: none): the first
                             batches in a fresh JVM also pay class loading and JIT compilation of the
                             once-per-batch verification path, which a long-running worker pays once
              --min-sdk N    21: mother signed v1+v2+v3 (default); 24: v2+v3, as AGP signs from minSdk 24
              --dir DIR      where the mother and outputs go (default: a temporary directory, removed after)

            Prints one JSON line: channels per second and MiB/s for channel writes, MiB/s of a plain
            file copy of the same mother in the same run, their ratio (overall and per round), and the peak
            heap of the measured rounds.
            """;

    private ChannelBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        int sizeMb = 200;
        int channels = 50;
        int rounds = 5;
        int warmupRounds = 1;
        int minSdk = 21;
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help" -> {
                    out.print(USAGE);
                    return;
                }
                case "--size-mb" -> sizeMb = positive(args, ++i);
                case "--channels" -> channels = positive(args, ++i);
                case "--rounds" -> rounds = positive(args, ++i);
                case "--warmup-rounds" -> warmupRounds = nonNegative(args, ++i);
                case "--min-sdk" -> minSdk = positive(args, ++i);
                case "--dir" -> dir = Path.of(value(args, ++i));
                default -> fail("unknown argument " + args[i]);
            }
        }
        boolean temporary = dir == null;
        Path work = temporary ? Files.createTempDirectory("packline-bench-") : Files.createDirectories(dir);
        try {
            out.println(new ObjectMapper().writeValueAsString(run(work, sizeMb, channels, rounds, warmupRounds, minSdk)));
        } finally {
            if (temporary) {
                try (Stream<Path> files = Files.walk(work)) {
                    for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(file);
                    }
                }
            }
        }
    }

    static Map<String, Object> run(Path work, int sizeMb, int channels, int rounds, int warmupRounds, int minSdk)
            throws IOException, PackagingException {
        if (minSdk != 21 && minSdk != 24) {
            fail("--min-sdk must be 21 (signed v1+v2+v3) or 24 (signed v2+v3, as AGP does from minSdk 24)");
        }
        long buildStarted = System.nanoTime();
        Path mother = new SampleApkBuilder().sdk(minSdk, 33).schemes(minSdk < 24, true, true)
                .payloadBytes((long) sizeMb << 20).build(work.resolve("mother.apk"));
        double buildSeconds = seconds(buildStarted);
        long motherBytes = Files.size(mother);

        List<Double> warmupRatios = new ArrayList<>();
        for (int pass = 0; pass < warmupRounds; pass++) {
            long[] nanos = measureRound(mother, work, channels, pass);
            warmupRatios.add(round((double) nanos[0] / nanos[1]));
        }
        System.gc();
        resetHeapPeaks();
        long copyNanos = 0;
        long channelNanos = 0;
        int fullyVerified = 0;
        List<Double> roundRatios = new ArrayList<>();
        for (int pass = 0; pass < rounds; pass++) {
            long[] nanos = measureRound(mother, work, channels, warmupRounds + pass);
            copyNanos += nanos[0];
            channelNanos += nanos[1];
            fullyVerified += (int) nanos[2];
            roundRatios.add(round((double) nanos[0] / nanos[1]));
        }
        double mib = (double) motherBytes * channels * rounds / (1 << 20);
        double copySeconds = copyNanos / 1e9;
        double channelSeconds = channelNanos / 1e9;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("sizeMb", sizeMb);
        json.put("channels", channels);
        json.put("rounds", rounds);
        json.put("schemes", minSdk < 24 ? "v1+v2+v3" : "v2+v3");
        json.put("motherBytes", motherBytes);
        json.put("buildSeconds", round(buildSeconds));
        json.put("channelSeconds", round(channelSeconds));
        json.put("channelsPerSecond", round(channels * rounds / channelSeconds));
        json.put("channelMiBPerSecond", round(mib / channelSeconds));
        json.put("copySeconds", round(copySeconds));
        json.put("copyMiBPerSecond", round(mib / copySeconds));
        json.put("channelToCopyRatio", round(copySeconds / channelSeconds));
        json.put("roundRatios", roundRatios);
        json.put("warmupRounds", warmupRounds);
        json.put("warmupRatios", warmupRatios);
        json.put("fullyVerifiedWithApksig", fullyVerified);
        json.put("peakHeapBytes", peakHeapBytes());
        json.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        json.put("cores", Runtime.getRuntime().availableProcessors());
        json.put("java", Runtime.version().toString());
        return json;
    }

    /**
     * One round: a batch of {@code channels} channel APKs exactly as {@code channel write} writes
     * them (one writer, so the once-per-mother verification is in it), with one plain copy of the
     * mother made after each reported channel APK is deleted. Each side's clock runs only for its
     * own work, so drift during the round (page cache, a neighbour on the machine) falls on both
     * sides alike, and each side's copy follows the other side's deletion: deleting a 200 MB file
     * changes how fast the next copy goes, and an A/A run of this loop with plain copies on both
     * sides gave 0.90-1.07 this way, against 1.06-1.16 with the order alternating.
     * Returns {copy nanos, channel nanos, outputs apksig verified fully}.
     */
    private static long[] measureRound(Path mother, Path work, int count, int pass) throws IOException, PackagingException {
        Map<Channel, Path> plan = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            plan.put(Channel.of("channel-" + pass + "-" + i), work.resolve("channel-" + i + ".apk"));
        }
        long[] result = new long[3];
        IOException[] ioFailure = {null};
        PackagingException[] failure = {null};
        long started = System.nanoTime();
        try (ChannelWriter writer = ChannelWriter.open(mother, ChannelWriter.Options.defaults())) {
            ChannelBatch.write(writer, plan, outcome -> {
                if (outcome instanceof ChannelBatch.Failed failed) {
                    failure[0] = failed.error();
                    return;
                }
                WrittenChannel written = ((ChannelBatch.Written) outcome).written();
                result[2] += written.verification() == WrittenChannel.Verification.APKSIG ? 1 : 0;
                try {
                    // delete, then copy: each side's copy then follows the other side's deletion
                    Files.delete(written.file());
                    result[0] += timedCopy(mother, work);
                } catch (IOException e) {
                    ioFailure[0] = e;
                }
            });
        }
        result[1] = System.nanoTime() - started - result[0];
        if (failure[0] != null) {
            throw failure[0];
        }
        if (ioFailure[0] != null) {
            throw ioFailure[0];
        }
        return result;
    }

    /** One plain copy of the mother, deleted again; returns how long both took. */
    private static long timedCopy(Path mother, Path work) throws IOException {
        long started = System.nanoTime();
        Path copy = work.resolve("copy.apk");
        plainCopy(mother, copy);
        Files.delete(copy);
        return System.nanoTime() - started;
    }

    /** The baseline: the same kernel copy a channel write uses for the mother's entries, over the whole file. */
    private static void plainCopy(Path source, Path target) throws IOException {
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            FileRegions.copy(in, 0, in.size(), out, 0);
        }
    }

    private static void resetHeapPeaks() {
        heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeapBytes() {
        return heapPools().stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
    }

    private static List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(pool -> pool.getType() == MemoryType.HEAP).toList();
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static String value(String[] args, int index) {
        if (index >= args.length) {
            fail(args[index - 1] + " needs a value");
        }
        return args[index];
    }

    private static int positive(String[] args, int index) {
        return atLeast(1, args, index, "a positive whole number");
    }

    private static int nonNegative(String[] args, int index) {
        return atLeast(0, args, index, "a whole number of 0 or more");
    }

    private static int atLeast(int min, String[] args, int index, String expected) {
        String text = value(args, index);
        try {
            int value = Integer.parseInt(text);
            if (value >= min) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        fail(args[index - 1] + " needs " + expected + ", got '" + text + "'");
        return 0;
    }

    private static void fail(String message) {
        System.err.println("packline: " + message + "\n" + USAGE);
        System.exit(2);
    }
}
