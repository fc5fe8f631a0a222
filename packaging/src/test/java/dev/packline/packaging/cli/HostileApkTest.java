package dev.packline.packaging.cli;

import dev.packline.packaging.Channel;
import dev.packline.packaging.ChannelWriter;
import dev.packline.packaging.sample.SampleApkBuilder;
import dev.packline.packaging.sample.SampleKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code channel read|inspect|verify} on truncated, bit-flipped and crafted APKs made from a real
 * signed channel APK: each must end with a clear error (exit status of its problem, a message on
 * stderr) or a normal answer, never a crash (an unexpected exception or error, out of memory
 * included) and never a hang. Cases come from a fixed seed ({@value #SEED}, {@value #CASES} cases);
 * a failure names the seed, the case and the command.
 */
class HostileApkTest {
    static final long SEED = 20261205L;
    static final int CASES = Integer.getInteger("packline.fuzz.apkCases", 120);
    private static final long DEADLINE_SECONDS = 60;

    @TempDir
    static Path temp;
    static byte[] apk;

    @BeforeAll
    static void build() throws Exception {
        Path mother = new SampleApkBuilder().sdk(24, 33).schemes(false, true, true).key(SampleKey.generate("hostile"))
                .payloadBytes(20_000).build(temp.resolve("mother.apk"));
        Path channel = temp.resolve("channel.apk");
        try (ChannelWriter writer = ChannelWriter.open(mother, ChannelWriter.Options.defaults())) {
            writer.write(Channel.of("huawei"), channel);
        }
        apk = Files.readAllBytes(channel);
    }

    /** One hostile file and what was done to it. */
    record Hostile(String what, byte[] bytes) {
    }

    @Test
    void noHostileApkCrashesOrHangsTheChannelCommands() throws Exception {
        Random random = new Random(SEED);
        List<String> failures = new ArrayList<>();
        java.util.Map<String, Integer> outcomes = new java.util.TreeMap<>();
        ExecutorService runner = Executors.newVirtualThreadPerTaskExecutor();
        try {
            for (int i = 0; i < CASES && failures.size() < 10; i++) {
                Hostile hostile = mutate(random);
                Path file = Files.write(temp.resolve("hostile-" + i + ".apk"), hostile.bytes());
                for (String command : new String[]{"read", "inspect", "verify"}) {
                    String failure = run(runner, command, file, hostile.what().replaceAll("-?[0-9]+", "N"), outcomes);
                    if (failure != null) {
                        failures.add("seed " + SEED + ", case " + i + " (" + hostile.what() + "), channel " + command + ": " + failure);
                    }
                }
                Files.delete(file);
            }
        } finally {
            runner.shutdownNow();
        }
        System.out.println("fuzz apk: seed " + SEED + ", " + CASES + " cases; counts of command, exit status and mutation:");
        outcomes.forEach((k, v) -> System.out.println("  " + v + "\t" + k));
        if (!failures.isEmpty()) {
            fail(failures.size() + " hostile APKs were not refused cleanly:\n" + String.join("\n", failures));
        }
    }

    private static String run(ExecutorService runner, String command, Path file, String what, java.util.Map<String, Integer> outcomes)
            throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Console console = new Console(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        Future<Integer> exit = runner.submit(() -> new ChannelCommand(console).run(List.of(command, file.toString())));
        int code;
        try {
            code = exit.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            exit.cancel(true);
            return "no answer within " + DEADLINE_SECONDS + " s (a hang)";
        } catch (java.util.concurrent.ExecutionException e) {
            return "threw " + e.getCause(); // an Error (OutOfMemoryError, StackOverflowError...) escaped the command
        }
        String stderr = err.toString(StandardCharsets.UTF_8);
        outcomes.merge(command + " exit " + code + " " + what, 1, Integer::sum);
        if (code == Console.INTERNAL_ERROR || stderr.contains("unexpected error")) {
            return "crashed (exit " + code + "): " + stderr.lines().limit(6).toList();
        }
        if (code != 0 && code != 10 && !stderr.startsWith("packline: ")) {
            return "exit " + code + " without a message";
        }
        return null;
    }

    private static Hostile mutate(Random random) {
        byte[] bytes = apk.clone();
        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int eocd = bytes.length - 22;
        int cdOffset = le.getInt(eocd + 16);
        int blockEnd = cdOffset; // the signing block ends where the central directory starts
        long blockSize = le.getLong(blockEnd - 24); // the size field after the pairs, before the magic
        int blockStart = (int) (blockEnd - blockSize - 8);
        return switch (random.nextInt(9)) {
            case 0 -> {
                int cut = random.nextInt(bytes.length);
                yield new Hostile("truncated to " + cut + " bytes", Arrays.copyOf(bytes, cut));
            }
            case 1 -> {
                int cut = blockStart + random.nextInt(bytes.length - blockStart);
                yield new Hostile("truncated in the tail at " + cut, Arrays.copyOf(bytes, cut));
            }
            case 2 -> {
                int flips = 1 + random.nextInt(8);
                for (int f = 0; f < flips; f++) {
                    int at = blockStart + random.nextInt(bytes.length - blockStart);
                    bytes[at] ^= (byte) (1 << random.nextInt(8));
                }
                yield new Hostile(flips + " bits flipped in the signing block, central directory or end record", bytes);
            }
            case 3 -> {
                int at = random.nextInt(bytes.length);
                bytes[at] ^= (byte) (1 << random.nextInt(8));
                yield new Hostile("a bit flipped at " + at, bytes);
            }
            case 4 -> {
                long lie = pick(random, blockSize * 2, blockSize + 8, 0, 8, -1, Long.MAX_VALUE, Long.MIN_VALUE, 0xFFFFFFFFL, bytes.length);
                le.putLong(random.nextBoolean() ? blockStart : blockEnd - 24, lie);
                yield new Hostile("signing block size lies (" + lie + ")", bytes);
            }
            case 5 -> {
                // a pair inside the block whose length lies: the first pair's uint64 length
                long lie = pick(random, 0, 3, 4, -1, Long.MAX_VALUE, 0x7FFFFFFFL, 0xFFFFFFFFL, blockSize, blockSize * 4);
                le.putLong(blockStart + 8, lie);
                yield new Hostile("first pair length lies (" + lie + ")", bytes);
            }
            case 6 -> {
                long to = pick(random, bytes.length, bytes.length + 1000L, 0xFFFFFFFFL, 0, cdOffset + 1L, cdOffset - 1L, eocd);
                le.putInt(eocd + 16, (int) to);
                yield new Hostile("central directory offset points to " + to, bytes);
            }
            case 7 -> {
                long size = pick(random, 0, 1, 0xFFFFFFFFL, bytes.length, le.getInt(eocd + 12) + 46L);
                le.putInt(eocd + 12, (int) size);
                yield new Hostile("central directory size lies (" + size + ")", bytes);
            }
            default -> {
                // ZIP64 end records that loop: a locator right before the end record that points at itself or at the end record
                byte[] looped = new byte[bytes.length + 20];
                System.arraycopy(bytes, 0, looped, 0, eocd);
                System.arraycopy(bytes, eocd, looped, eocd + 20, 22);
                ByteBuffer out = ByteBuffer.wrap(looped).order(ByteOrder.LITTLE_ENDIAN);
                long target = pick(random, eocd, eocd + 20L, eocd - 56L, 0, -1);
                out.putInt(eocd, 0x07064b50);
                out.putInt(eocd + 4, 0);
                out.putLong(eocd + 8, target);
                out.putInt(eocd + 16, 1);
                out.putInt(eocd + 20 + 16, 0xFFFFFFFF); // the classic record defers to ZIP64
                yield new Hostile("ZIP64 locator pointing at " + target, looped);
            }
        };
    }

    private static long pick(Random random, long... options) {
        return options[random.nextInt(options.length)];
    }
}
