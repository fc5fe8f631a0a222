package dev.packline.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalDirectoryStoreTest extends ObjectStoreContract {
    @Override
    ObjectStore store() throws Exception {
        return new LocalDirectoryStore("local", temp.resolve("store"));
    }

    @Test
    void theNextWriteOfAKeyRemovesWhatAKilledWriteOfItLeftAndNothingElseRemains() throws Exception {
        Path root = temp.resolve("store");
        // what a worker killed with SIGKILL in the middle of writing channels/huawei.apk leaves behind
        Path staging = Files.createDirectories(root.resolve("channels").resolve(LocalDirectoryStore.STAGING).resolve("huawei.apk"));
        Files.write(staging.resolve("upload-123.tmp"), new byte[] {1, 2, 3});
        byte[] content = randomBytes(300_000, 7);
        Path file = Files.write(temp.resolve("huawei.apk"), content);
        try (ObjectStore store = store()) {
            assertEquals(sha256(content), store.upload("channels/huawei.apk", file).stored().sha256());
            assertArrayEquals(content, read(store, "channels/huawei.apk"));
        }
        try (var files = Files.walk(root)) {
            assertEquals(List.of(root.resolve("channels/huawei.apk")), files.filter(Files::isRegularFile).toList());
        }
        assertTrue(Files.notExists(root.resolve("channels").resolve(LocalDirectoryStore.STAGING)), "the staging folder goes when empty");
    }
}
