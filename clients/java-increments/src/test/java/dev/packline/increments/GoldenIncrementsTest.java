package dev.packline.increments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The golden increments the packaging module's makers wrote (committed there), applied with the Java 8 API only. */
class GoldenIncrementsTest {
    private static final Path GOLDEN = Paths.get("..", "..", "packaging", "src", "test", "resources", "dev", "packline", "packaging");

    private static byte[] read(String path) throws IOException {
        return Files.readAllBytes(GOLDEN.resolve(path));
    }

    private static String text(String path) throws IOException {
        return new String(read(path), Sha256.UTF_8);
    }

    @Test
    void chunkIncrementsAtBothChunkSizes() throws Exception {
        for (int size : new int[] {4, 12}) {
            String rebuilt = ChunkApplier.apply(text("increment/golden/old.js"), text("increment/golden/chunk-" + size + ".json"));
            assertEquals(text("increment/golden/new.js"), rebuilt);
        }
    }

    @Test
    void bsdiffGzIncrement() throws Exception {
        assertArrayEquals(read("increment/golden/new.js"), BsdiffGzApplier.apply(read("increment/golden/old.js"), read("increment/golden/bsdiff-gz.bin")));
    }

    @Test
    void offlinePatch() throws Exception {
        Map<String, byte[]> older = OfflinePatchApplier.readZip(read("offline/golden/news-1.0.0.zip"));
        Map<String, byte[]> result = OfflinePatchApplier.apply(older, read("offline/golden/news-1.0.0-to-1.1.0.patch"));
        Map<String, byte[]> expected = OfflinePatchApplier.readZip(read("offline/golden/news-1.1.0.zip"));
        assertEquals(expected.keySet(), result.keySet());
        for (Map.Entry<String, byte[]> file : expected.entrySet()) {
            assertArrayEquals(file.getValue(), result.get(file.getKey()), file.getKey());
        }
    }

    @Test
    void wrongBasesAndCorruptIncrementsAreRefused() throws Exception {
        IncrementException base = assertThrows(IncrementException.class,
                () -> ChunkApplier.apply("var x=1;", text("increment/golden/chunk-12.json")));
        assertEquals(IncrementException.Kind.WRONG_BASE, base.kind());
        assertEquals(IncrementException.Kind.WRONG_BASE, assertThrows(IncrementException.class,
                () -> BsdiffGzApplier.apply(new byte[] {1}, read("increment/golden/bsdiff-gz.bin"))).kind());
        Map<String, byte[]> newer = OfflinePatchApplier.readZip(read("offline/golden/news-1.1.0.zip"));
        assertEquals(IncrementException.Kind.WRONG_BASE, assertThrows(IncrementException.class,
                () -> OfflinePatchApplier.apply(newer, read("offline/golden/news-1.0.0-to-1.1.0.patch"))).kind());

        String chunk = text("increment/golden/chunk-12.json");
        String old = text("increment/golden/old.js");
        IncrementException outside = assertThrows(IncrementException.class, () -> ChunkApplier.apply(old, chunk.replace("[11,18]", "[11,20]")));
        assertTrue(outside.getMessage().contains("refers to chunks outside"), outside.getMessage());
        assertEquals(IncrementException.Kind.MISMATCH, assertThrows(IncrementException.class,
                () -> ChunkApplier.apply(old, chunk.replace("\"nu", "\"NU"))).kind());
        assertEquals(IncrementException.Kind.CORRUPT, assertThrows(IncrementException.class, () -> ChunkApplier.apply(old, "{\"format\":")).kind());
        byte[] truncated = java.util.Arrays.copyOf(read("increment/golden/bsdiff-gz.bin"), 120);
        assertEquals(IncrementException.Kind.CORRUPT, assertThrows(IncrementException.class,
                () -> BsdiffGzApplier.apply(read("increment/golden/old.js"), truncated)).kind());
    }

    @Test
    void pathsThatEscapeAreRefused() {
        for (String path : new String[] {"../x", "/etc/x", "a/../../x", "a\\b", "C:/x", "a//b", "./a"}) {
            assertThrows(IncrementException.class, () -> OfflinePatchApplier.checkPath(path), path);
        }
    }
}
