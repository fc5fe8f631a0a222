package dev.packline.packaging.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark pairs consecutive cached versions of the same APK, in version order, not text order. */
class ApkPairCorpusTest {
    @TempDir
    Path cache;

    @Test
    void consecutiveVersionsOfTheSameApkArePaired() throws Exception {
        for (String version : List.of("10.6.4", "10.6.12", "9.1.0")) {
            Path dir = Files.createDirectories(cache.resolve("some-package").resolve(version));
            Files.writeString(dir.resolve("app.apk"), version);
            Files.writeString(dir.resolve(".complete"), "");
        }
        Files.writeString(cache.resolve("some-package").resolve("10.6.12").resolve("only-here.apk"), "x");

        List<String> pairs = ApkPairCorpus.real(cache).stream()
                .map(pair -> Files.exists(pair.oldApk()) + " " + pair.label()).toList();

        assertEquals(List.of("true some-package app.apk 9.1.0 -> 10.6.4", "true some-package app.apk 10.6.4 -> 10.6.12"), pairs);
        assertEquals(List.of(), ApkPairCorpus.real(cache.resolve("not-fetched-yet")));
    }
}
