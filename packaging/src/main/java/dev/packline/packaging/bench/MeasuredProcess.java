package dev.packline.packaging.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one command under GNU time (/usr/bin/time, installed by bench/install-bsdiff.sh) and
 * returns its wall time, peak resident memory and standard output. Every process of the benchmark,
 * C bsdiff and the Java maker and applier alike, is measured the same way.
 */
final class MeasuredProcess {
    private static final String TIME = "/usr/bin/time";

    /** Wall seconds, peak resident set in bytes, and what the command printed. */
    record Result(double seconds, long peakRssBytes, String stdout) {
    }

    private MeasuredProcess() {
    }

    static Result run(Path work, List<String> command) throws IOException {
        if (!Files.isExecutable(Path.of(TIME))) {
            throw new IOException(TIME + " is missing; run bench/install-bsdiff.sh (Debian package 'time')");
        }
        List<String> timed = new ArrayList<>(List.of(TIME, "-f", "packline-time %e %M"));
        timed.addAll(command);
        Path out = Files.createTempFile(work, "stdout-", ".txt");
        Path err = Files.createTempFile(work, "stderr-", ".txt");
        try {
            Process process = new ProcessBuilder(timed).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            int code = process.waitFor();
            String errors = Files.readString(err, StandardCharsets.UTF_8);
            if (code != 0) {
                throw new IOException(command.get(0) + " failed with exit code " + code + ": " + errors.strip());
            }
            String[] lines = errors.strip().split("\n");
            String[] figures = lines[lines.length - 1].split(" ");
            if (!figures[0].equals("packline-time")) {
                throw new IOException("no timing from " + TIME + " for " + command.get(0) + ": " + errors.strip());
            }
            return new Result(Double.parseDouble(figures[1]), Long.parseLong(figures[2]) * 1024,
                    Files.readString(out, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * A command running {@code mainClass} in a fresh JVM like this one, with {@code heapMb} of heap at
     * most and the JVM options the launcher gives {@code bin/packline diff} ({@link DiffCommandJvm}: the
     * options file and the AOT cache under {@code packline.home}, which the launcher sets), so the maker
     * and applier run as the command line runs them.
     */
    static List<String> java(int heapMb, Class<?> mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(DiffCommandJvm.options(Path.of(System.getProperty("packline.home", "."))));
        command.addAll(List.of("-Xmx" + heapMb + "m", "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        return command;
    }
}
