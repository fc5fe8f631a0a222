package dev.packline.packaging.increment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.packline.packaging.PackagingException;
import dev.packline.packaging.PackagingException.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkIncrementTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {4, 12})
    void makesTheGoldenIncrementByteForByte(int chunkSize) throws Exception {
        Path out = dir.resolve("made.json");
        IncrementReport report = new ChunkIncrementMaker(chunkSize).make(Golden.file("old.js"), Golden.file("new.js"), out);
        assertArrayEquals(Files.readAllBytes(Golden.file("chunk-" + chunkSize + ".json")), Files.readAllBytes(out),
                "the maker's output changed; clients read this format, so a change needs a new version");
        assertEquals(Files.size(out), report.incrementBytes());
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 12})
    void theGoldenIncrementRebuildsTheNewFile(int chunkSize) throws Exception {
        Path out = dir.resolve("new.js");
        IncrementReport report = new ChunkIncrementApplier().apply(Golden.file("old.js"), Golden.file("chunk-" + chunkSize + ".json"), out);
        assertArrayEquals(Files.readAllBytes(Golden.file("new.js")), Files.readAllBytes(out));
        assertEquals(Files.size(out), report.newBytes());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 12, 64})
    void roundTripsGeneratedBundlesAtEveryChunkSize(int chunkSize) throws Exception {
        for (long seed = 1; seed <= 3; seed++) {
            String[] pair = Golden.bundlePair(seed, 3000);
            Path oldFile = dir.resolve("old-" + seed + ".js");
            Path newFile = dir.resolve("new-" + seed + ".js");
            Golden.write(oldFile, pair[0]);
            Golden.write(newFile, pair[1]);
            Path increment = dir.resolve("inc-" + seed + ".json");
            IncrementReport made = new ChunkIncrementMaker(chunkSize).make(oldFile, newFile, increment);
            Path rebuilt = dir.resolve("rebuilt-" + seed + ".js");
            new ChunkIncrementApplier().apply(oldFile, increment, rebuilt);
            assertEquals(pair[1], Files.readString(rebuilt), "seed " + seed + ", chunk size " + chunkSize);
            if (chunkSize >= 12) {
                assertTrue(made.incrementBytes() < made.newBytes() / 3, "a 95%-unchanged bundle gives a small increment: " + made);
            }
        }
    }

    @Test
    void identicalFilesGiveOneRunAndAnEmptyOldFileGivesOneLiteral() throws Exception {
        Path text = dir.resolve("same.js");
        Golden.write(text, "abcdefghijkl".repeat(10) + "xyz");
        Path increment = dir.resolve("same.json");
        new ChunkIncrementMaker(12).make(text, text, increment);
        assertTrue(Files.readString(increment).endsWith("\"data\":[[0,10],\"xyz\"]}"), Files.readString(increment));

        Path empty = dir.resolve("empty.js");
        Golden.write(empty, "");
        new ChunkIncrementMaker(12).make(empty, text, increment);
        Path rebuilt = dir.resolve("rebuilt.js");
        new ChunkIncrementApplier().apply(empty, increment, rebuilt);
        assertEquals(Files.readString(text), Files.readString(rebuilt));
    }

    @Test
    void anIncrementForAnotherBaseIsRefusedAndNothingIsWritten() throws Exception {
        Path other = dir.resolve("other.js");
        Golden.write(other, "var x=1;");
        Path out = dir.resolve("out.js");
        PackagingException e = assertThrows(PackagingException.class,
                () -> new ChunkIncrementApplier().apply(other, Golden.file("chunk-12.json"), out));
        assertEquals(Problem.REFUSED, e.problem());
        assertTrue(e.getMessage().contains("made for another base"), e.getMessage());
        assertFalse(Files.exists(out));
        assertEquals(List.of("other.js"), list(dir));
    }

    @Test
    void corruptIncrementsAreRefusedNamingTheProblem() throws Exception {
        String golden = Files.readString(Golden.file("chunk-12.json"));
        record Case(String name, String text, String expected) {
        }
        List<Case> cases = List.of(
                new Case("not json", "{\"format\":", "not valid JSON"),
                new Case("other format", golden.replace("\"chunk\"", "\"zip\""), "not a chunk increment"),
                new Case("future version", golden.replace("\"version\":1", "\"version\":2"), "unsupported chunk increment version 2"),
                new Case("chunk past the end", golden.replace("[11,18]", "[11,20]"), "refers to chunks outside"),
                new Case("negative chunk", golden.replace("[0,1]", "[-1,1]"), "refers to chunks outside"),
                new Case("object piece", golden.replace("[0,1]", "{}"), "neither a string nor"),
                new Case("no data", golden.replace("\"data\"", "\"dato\""), "lacks"),
                new Case("wrong result", golden.replace("\"mu\\\",\\\"nu\\\"", "\"mu\\\",\\\"NU\\\""), "did not give the expected file"));
        for (Case c : cases) {
            Path increment = dir.resolve("corrupt.json");
            Files.writeString(increment, c.text());
            Path out = dir.resolve("out.js");
            PackagingException e = assertThrows(PackagingException.class,
                    () -> new ChunkIncrementApplier().apply(Golden.file("old.js"), increment, out), c.name());
            assertTrue(e.getMessage().contains(c.expected()), c.name() + ": " + e.getMessage());
            assertFalse(Files.exists(out), c.name());
        }
    }

    @Test
    void refusesFilesThatAreNotUtf8AndBadChunkSizes() throws Exception {
        Path binary = dir.resolve("binary.bin");
        Files.write(binary, new byte[] {'a', (byte) 0xc3, (byte) 0x28, 'b'});
        PackagingException e = assertThrows(PackagingException.class,
                () -> new ChunkIncrementMaker(12).make(Golden.file("old.js"), binary, dir.resolve("out.json")));
        assertEquals(Problem.INVALID_ARGUMENT, e.problem());
        assertTrue(e.getMessage().contains("not UTF-8 text"), e.getMessage());
        assertEquals(List.of("binary.bin"), list(dir));
        assertThrows(PackagingException.class, () -> new ChunkIncrementMaker(0));
        PackagingException missing = assertThrows(PackagingException.class,
                () -> new ChunkIncrementMaker(12).make(dir.resolve("nope.js"), binary, dir.resolve("out.json")));
        assertEquals(Problem.UNREADABLE_INPUT, missing.problem());
    }

    private static List<String> list(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }
}
