package dev.packline.packaging.increment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.packline.increments.BsdiffGzApplier;
import dev.packline.increments.ChunkApplier;
import dev.packline.increments.OfflinePatchApplier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java 8 reference applier (clients/java-increments) against this module's makers, on every format. */
class JavaClientTest {
    @TempDir
    Path dir;

    @Test
    void theJava8ApplierRebuildsEveryCaseTheMakersWrite() throws Exception {
        List<Map<String, String>> cases = new ClientCases(dir).write();
        assertTrue(cases.stream().map(c -> c.get("kind")).distinct().count() == 3, "every format is covered");
        for (Map<String, String> c : cases) {
            byte[] old = Files.readAllBytes(dir.resolve(c.get("old")));
            byte[] patch = Files.readAllBytes(dir.resolve(c.get("patch")));
            byte[] expected = Files.readAllBytes(dir.resolve(c.get("expected")));
            switch (c.get("kind")) {
                case "chunk" -> assertEquals(new String(expected, StandardCharsets.UTF_8),
                        ChunkApplier.apply(new String(old, StandardCharsets.UTF_8), new String(patch, StandardCharsets.UTF_8)), c.get("patch"));
                case "bsdiff-gz" -> assertArrayEquals(expected, BsdiffGzApplier.apply(old, patch), c.get("patch"));
                default -> {
                    Map<String, byte[]> result = OfflinePatchApplier.apply(OfflinePatchApplier.readZip(old), patch);
                    Map<String, byte[]> wanted = OfflinePatchApplier.readZip(expected);
                    assertEquals(wanted.keySet(), result.keySet());
                    wanted.forEach((path, bytes) -> assertArrayEquals(bytes, result.get(path), path));
                }
            }
        }
    }
}
