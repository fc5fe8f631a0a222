package dev.packline.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every ObjectStore must do; each implementation's test extends this with its own store. */
abstract class ObjectStoreContract {
    @TempDir
    Path temp;

    abstract ObjectStore store() throws Exception;

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
