package dev.packline.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every ObjectStore must do; each implementation's test extends this with its own store. */
abstract class ObjectStoreContract {
    @TempDir
    Path temp;

    abstract ObjectStore store() throws Exception;

    /** The smallest prefix the store copies server-side; shorter prefixes are uploaded whole. */
    long minCopyPrefix() {
        return 0;
    }

    static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    static byte[] read(ObjectStore store, String key) throws Exception {
        try (InputStream in = store.open(key)) {
            return in.readAllBytes();
        }
    }

    @Test
    void largeFilesRoundTripWhateverTheUploadMode() throws Exception {
        byte[] content = randomBytes(12 * 1024 * 1024 + 321, 1);
        Path file = Files.write(temp.resolve("big.apk"), content);
        try (ObjectStore store = store()) {
            UploadReport report = store.upload("big/game.apk", file);
            assertEquals(content.length, report.stored().size());
            assertEquals(sha256(content), report.stored().sha256());
            assertTrue(report.bytesSent() >= content.length, "a fresh upload sends at least the whole object: " + report);
            assertEquals(report.stored(), store.stat("big/game.apk").orElseThrow());
            assertArrayEquals(content, read(store, "big/game.apk"));
        }
    }

    @Test
    void anObjectOnAStoredPrefixIsCopiedAndOnlyItsTailSent() throws Exception {
        byte[] mother = randomBytes(11 * 1024 * 1024 + 77, 2);
        long prefix = mother.length - 4096;
        byte[] tail = randomBytes(5000, 3);
        Path motherFile = Files.write(temp.resolve("mother.apk"), mother);
        byte[] expected = concat(mother, prefix, tail);
        try (ObjectStore store = store()) {
            store.upload("staging/mother.apk", motherFile);
            UploadReport report = store.uploadWithPrefix("out/game-huawei.apk", new PrefixSource("staging/mother.apk", motherFile, prefix), tail,
                    sha256(expected));
            assertEquals(UploadMode.PART_COPY, report.mode());
            assertEquals(tail.length, report.bytesSent(), "only the tail goes over the network");
            assertEquals(new StoredObject("out/game-huawei.apk", expected.length, sha256(expected)), report.stored());
            assertArrayEquals(expected, read(store, "out/game-huawei.apk"));
        }
    }

    @Test
    void anObjectWhosePrefixIsNotStoredIsUploadedWhole() throws Exception {
        byte[] mother = randomBytes(6 * 1024 * 1024, 4);
        long prefix = mother.length - 1000;
        byte[] tail = randomBytes(3000, 5);
        Path motherFile = Files.write(temp.resolve("mother.apk"), mother);
        byte[] expected = concat(mother, prefix, tail);
        try (ObjectStore store = store()) {
            UploadReport report = store.uploadWithPrefix("out/game-oppo.apk", new PrefixSource("staging/never-uploaded.apk", motherFile, prefix),
                    tail, sha256(expected));
            assertNotEquals(UploadMode.PART_COPY, report.mode());
            assertEquals(expected.length, report.bytesSent());
            assertArrayEquals(expected, read(store, "out/game-oppo.apk"));
        }
    }

    @Test
    void aPrefixBelowTheMinimumPartSizeIsUploadedWhole() throws Exception {
        byte[] mother = randomBytes(300 * 1024, 6);
        long prefix = mother.length - 500;
        byte[] tail = randomBytes(700, 7);
        Path motherFile = Files.write(temp.resolve("small.apk"), mother);
        byte[] expected = concat(mother, prefix, tail);
        try (ObjectStore store = store()) {
            store.upload("staging/small.apk", motherFile);
            UploadReport report = store.uploadWithPrefix("out/small-vivo.apk", new PrefixSource("staging/small.apk", motherFile, prefix), tail,
                    sha256(expected));
            assertEquals(prefix < minCopyPrefix() ? UploadMode.PLAIN : UploadMode.PART_COPY, report.mode());
            assertArrayEquals(expected, read(store, "out/small-vivo.apk"));
        }
    }

    @Test
    void aWrongExpectedChecksumFailsAsIntegrity() throws Exception {
        byte[] mother = randomBytes(6 * 1024 * 1024, 8);
        Path motherFile = Files.write(temp.resolve("mother.apk"), mother);
        try (ObjectStore store = store()) {
            store.upload("staging/m.apk", motherFile);
            StoreException e = assertThrows(StoreException.class, () -> store.uploadWithPrefix("out/bad.apk",
                    new PrefixSource("staging/m.apk", motherFile, mother.length - 10), new byte[]{1, 2, 3}, "0".repeat(64)));
            assertEquals(StoreErrorKind.INTEGRITY, e.kind());
        }
    }

    static byte[] concat(byte[] mother, long prefix, byte[] tail) {
        byte[] out = Arrays.copyOf(mother, (int) prefix + tail.length);
        System.arraycopy(tail, 0, out, (int) prefix, tail.length);
        return out;
    }

    @Test
    void putThenStatOpenAndDeleteRoundTrip() throws Exception {
        byte[] content = "channel apk bytes 渠道".getBytes(StandardCharsets.UTF_8);
        Path file = Files.write(temp.resolve("in.apk"), content);
        try (ObjectStore store = store()) {
            StoredObject stored = store.put("game/1.2/com.example-1.2-华为.apk", file);
            assertEquals(content.length, stored.size());
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)), stored.sha256());
            assertEquals(stored, store.stat("game/1.2/com.example-1.2-华为.apk").orElseThrow());
            try (InputStream in = store.open("game/1.2/com.example-1.2-华为.apk")) {
                assertArrayEquals(content, in.readAllBytes());
            }
            store.delete("game/1.2/com.example-1.2-华为.apk");
            assertTrue(store.stat("game/1.2/com.example-1.2-华为.apk").isEmpty());
        }
    }

    @Test
    void putReplacesAnExistingObject() throws Exception {
        try (ObjectStore store = store()) {
            store.put("k.apk", Files.writeString(temp.resolve("a"), "first"));
            StoredObject second = store.put("k.apk", Files.writeString(temp.resolve("b"), "second!"));
            assertEquals(7, second.size());
            assertEquals(second, store.stat("k.apk").orElseThrow());
        }
    }

    @Test
    void keysThatEscapeOrAreMalformedAreRefused() throws Exception {
        Path file = Files.writeString(temp.resolve("x"), "x");
        try (ObjectStore store = store()) {
            for (String bad : List.of("", "/abs.apk", "a/../../etc/passwd", "a\\b.apk", "a//b.apk", "a/./b", "tab\there")) {
                assertThrows(IllegalArgumentException.class, () -> store.put(bad, file), bad);
            }
        }
    }
}
