package dev.packline.packaging.increment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.packline.packaging.PackagingException;
import dev.packline.packaging.PackagingException.Problem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BsdiffGzipTest {
    @TempDir
    Path dir;

    @Test
    void theGoldenIncrementRebuildsTheNewFile() throws Exception {
        Path out = dir.resolve("new.js");
        IncrementReport report = new BsdiffGzipApplier().apply(Golden.file("old.js"), Golden.file("bsdiff-gz.bin"), out);
        assertArrayEquals(Files.readAllBytes(Golden.file("new.js")), Files.readAllBytes(out));
        assertEquals(ChunkIncrementApplier.sha256(Golden.file("new.js")), report.newSha256());
    }

    @Test
    void anIncrementOfTheEarlierJbsdiffMakerStillApplies() throws Exception {
        // made by the maker before the shared bsdiff scan replaced jbsdiff's: other blocks, the same format
        Path out = dir.resolve("new.js");
        new BsdiffGzipApplier().apply(Golden.file("old.js"), Golden.file("bsdiff-gz-jbsdiff.bin"), out);
        assertArrayEquals(Files.readAllBytes(Golden.file("new.js")), Files.readAllBytes(out));
    }

    @Test
    void theMakerWritesTheDocumentedHeaderAndBlocks() throws Exception {
        Path out = dir.resolve("made.bin");
        new BsdiffGzipMaker().make(Golden.file("old.js"), Golden.file("new.js"), out);
        byte[] made = Files.readAllBytes(out);
        assertEquals("BSDIFFGZ", new String(made, 0, 8, StandardCharsets.US_ASCII));
        assertEquals(ChunkIncrementApplier.sha256(Golden.file("old.js")), HexFormat.of().formatHex(made, 8, 40));
        assertEquals(ChunkIncrementApplier.sha256(Golden.file("new.js")), HexFormat.of().formatHex(made, 40, 72));
        assertEquals(Files.size(Golden.file("new.js")), BsdiffGzipFormat.readInteger(made, 88));
        int control = (int) BsdiffGzipFormat.readInteger(made, 72);
        int diff = (int) BsdiffGzipFormat.readInteger(made, 80);
        for (int at : new int[] {96, 96 + control, 96 + control + diff}) {
            assertEquals(0x1f, made[at] & 0xff, "a gzip member starts at " + at);
            assertEquals(0x8b, made[at + 1] & 0xff);
        }
        assertArrayEquals(Files.readAllBytes(Golden.file("bsdiff-gz.bin")), made,
                "the maker's output for the golden pair changed (zlib's output is stable for a given level)");
    }

    @Test
    void roundTripsBinaryAndTextPairs() throws Exception {
        Random random = new Random(7);
        byte[] older = new byte[200_000];
        random.nextBytes(older);
        byte[] newer = Arrays.copyOf(older, 210_000);
        for (int i = 0; i < 300; i++) {
            newer[random.nextInt(newer.length)] ^= (byte) (1 + random.nextInt(255));
        }
        String[] texts = Golden.bundlePair(11, 4000);
        byte[][][] pairs = {{older, newer}, {texts[0].getBytes(StandardCharsets.UTF_8), texts[1].getBytes(StandardCharsets.UTF_8)},
                {new byte[0], "fresh".getBytes(StandardCharsets.UTF_8)}, {older, new byte[0]}};
        for (byte[][] pair : pairs) {
            Path oldFile = dir.resolve("old");
            Path newFile = dir.resolve("new");
            Files.write(oldFile, pair[0]);
            Files.write(newFile, pair[1]);
            IncrementReport report = new BsdiffGzipMaker().make(oldFile, newFile, dir.resolve("inc"));
            new BsdiffGzipApplier().apply(oldFile, dir.resolve("inc"), dir.resolve("rebuilt"));
            assertArrayEquals(pair[1], Files.readAllBytes(dir.resolve("rebuilt")));
            assertEquals(Files.size(dir.resolve("inc")), report.incrementBytes());
        }
    }

    @Test
    void refusesAnotherBaseAndCorruptIncrementsWithoutWriting() throws Exception {
        byte[] golden = Files.readAllBytes(Golden.file("bsdiff-gz.bin"));
        Path out = dir.resolve("out.js");
        Path other = dir.resolve("other.js");
        Files.writeString(other, "var x=1;");
        PackagingException base = assertThrows(PackagingException.class,
                () -> new BsdiffGzipApplier().apply(other, Golden.file("bsdiff-gz.bin"), out));
        assertEquals(Problem.REFUSED, base.problem());
        assertTrue(base.getMessage().contains("made for another base"), base.getMessage());

        byte[] truncated = Arrays.copyOf(golden, golden.length - 20);
        byte[] badMagic = golden.clone();
        badMagic[7] = 'X';
        byte[] lyingLength = golden.clone();
        BsdiffGzipFormat.writeInteger(1_000_000, lyingLength, 72);
        byte[] wrongNewSha = golden.clone();
        wrongNewSha[41] ^= 1;
        byte[][] corrupt = {truncated, badMagic, lyingLength, wrongNewSha, new byte[10]};
        String[] expected = {"does not decompress", "no BSDIFFGZ header", "do not fit", "did not give the file", "no BSDIFFGZ header"};
        for (int i = 0; i < corrupt.length; i++) {
            Path increment = dir.resolve("corrupt.bin");
            Files.write(increment, corrupt[i]);
            PackagingException e = assertThrows(PackagingException.class,
                    () -> new BsdiffGzipApplier().apply(Golden.file("old.js"), increment, out));
            assertTrue(e.getMessage().contains(expected[i]), i + ": " + e.getMessage());
            assertFalse(Files.exists(out));
        }
    }
}
