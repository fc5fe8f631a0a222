package dev.packline.packaging.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM options {@code bin/packline diff} starts its JVM with, so the benchmarks run the maker and
 * applier as the command line does: the options file {@code config/diff-cli.jvm-options}, and the
 * AOT class cache {@code aot/DiffCommand.aot} when the launcher would use it (JDK 25+, made by
 * {@code bin/packline aot} and newer than every jar on this classpath, which is the launcher's
 * classpath of the packaging module; the launcher leaves a stale cache out the same way).
 */
final class DiffCommandJvm {
    private DiffCommandJvm() {
    }

    static List<String> options(Path home) throws IOException {
        Path optionsFile = home.resolve("config/diff-cli.jvm-options");
        if (!Files.isReadable(optionsFile)) {
            throw new IOException(optionsFile + " is missing: run the benchmark through bin/packline, which sets packline.home");
        }
        List<String> options = new ArrayList<>(List.of("@" + optionsFile));
        Path cache = aotCache(home);
        if (cache != null) {
            options.addAll(List.of("-XX:AOTCache=" + cache, "-Xlog:aot=off", "-Xlog:cds=off"));
        }
        return options;
    }

    /** aot/DiffCommand.aot under {@code home} if this JVM can use it and no jar of the classpath is newer; else null. */
    static Path aotCache(Path home) throws IOException {
        Path cache = home.resolve("aot/DiffCommand.aot");
        if (Runtime.version().feature() < 25 || !Files.isRegularFile(cache)) {
            return null;
        }
        FileTime made = Files.getLastModifiedTime(cache);
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path jar = Path.of(entry);
            if (Files.isRegularFile(jar) && Files.getLastModifiedTime(jar).compareTo(made) > 0) {
                return null;
            }
        }
        return cache;
    }
}
