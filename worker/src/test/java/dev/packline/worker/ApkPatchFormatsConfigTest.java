package dev.packline.worker;

import dev.packline.pipeline.artifact.PatchFormat;
import dev.packline.settings.Settings;
import dev.packline.settings.SettingsException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code pipeline.apkPatchFormats}: both formats by default, zip-aware may be left out, bsdiff may not, other names are refused. */
class ApkPatchFormatsConfigTest {
    private static WorkerConfig read(String formats) {
        return WorkerConfig.read(Settings.parse("worker.yml", """
                redis: {url: "redis://127.0.0.1:6379"}
                queues: {diff: {concurrency: 1}}
                pipeline: {%s}
                """.formatted(formats), Map.of()));
    }

    @Test
    void bothByDefaultAndZipAwareMayBeLeftOut() {
        assertEquals(EnumSet.of(PatchFormat.BSDIFF, PatchFormat.ZIP_AWARE), WorkerConfig.load(Path.of("../config/worker.yml"), Map.of())
                .pipeline().apkPatchFormats());
        assertEquals(EnumSet.of(PatchFormat.BSDIFF, PatchFormat.ZIP_AWARE), read("workDir: var/work").pipeline().apkPatchFormats());
        assertEquals(EnumSet.of(PatchFormat.BSDIFF), read("apkPatchFormats: [bsdiff]").pipeline().apkPatchFormats());
    }

    @Test
    void bsdiffIsRequiredAndOnlyApkFormatsAreKnown() {
        String message = assertThrows(SettingsException.class, () -> read("apkPatchFormats: [zip-aware, chunk]")).getMessage();
        assertTrue(message.contains("must list bsdiff") && message.contains("got 'chunk'"), message);
    }
}
