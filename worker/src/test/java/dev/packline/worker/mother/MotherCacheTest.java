package dev.packline.worker.mother;

import dev.packline.storage.LocalDirectoryStore;
import dev.packline.storage.ObjectStore;
import dev.packline.storage.PrefixSource;
import dev.packline.storage.StoredObject;
import dev.packline.storage.UploadReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MotherCacheTest {
    @TempDir
    Path temp;

    /** A store that counts how often objects are opened: the cache must download each mother once. */
    private static final class CountingStore implements ObjectStore {
        final LocalDirectoryStore inner;
        final AtomicInteger opens = new AtomicInteger();

        CountingStore(Path root) throws IOException {
            inner = new LocalDirectoryStore("releases", root);
        }

        @Override
        public String name() {
            return "releases";
        }

        @Override
        public UploadReport upload(String key, Path file) throws IOException {
            return inner.upload(key, file);
        }

        @Override
        public UploadReport uploadWithPrefix(String key, PrefixSource prefix, byte[] tail, String sha256) throws IOException {
            return inner.uploadWithPrefix(key, prefix, tail, sha256);
        }

        @Override
        public void abortUpload(String key, String uploadId) {
            inner.abortUpload(key, uploadId);
        }

        @Override
        public Optional<StoredObject> stat(String key) throws IOException {
            return inner.stat(key);
        }

        @Override
        public InputStream open(String key) throws IOException {
            opens.incrementAndGet();
            try {
                Thread.sleep(50); // a slow download, so concurrent jobs overlap
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return inner.open(key);
        }

        @Override
        public void delete(String key) throws IOException {
            inner.delete(key);
        }

        @Override
        public String url(String key) {
            return inner.url(key);
        }

        @Override
        public void close() {
        }
    }

    private MotherCache cache(long maxBytes, Path root, ObjectStore store) throws IOException {
        return new MotherCache(new MotherCache.Params(temp.resolve("cache"), maxBytes, List.of(root), Set.of("cdn.example.com"),
                store == null ? Map.of() : Map.of(store.name(), store), HttpClient.newHttpClient(), Duration.ofSeconds(5), MotherCache.Listener.NONE));
    }

    @Test
    void aFileIsCachedUnderItsSha256() throws Exception {
        Path root = Files.createDirectories(temp.resolve("apks"));
        byte[] content = "mother bytes".getBytes();
        Files.write(root.resolve("game.apk"), content);

        Mother mother = cache(1 << 20, root, null).fetch(root.resolve("game.apk").toUri().toString());

        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)), mother.sha256());
        assertEquals(content.length, mother.size());
        assertEquals(mother.sha256() + ".apk", mother.file().getFileName().toString());
    }

    @Test
    void concurrentJobsShareOneDownload() throws Exception {
        CountingStore store = new CountingStore(temp.resolve("bucket"));
        store.put("game/1.2.apk", Files.writeString(temp.resolve("m"), "x".repeat(10_000)));
        MotherCache cache = cache(1 << 20, temp, store);
        List<Future<Mother>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                futures.add(pool.submit(() -> cache.fetch("store://releases/game/1.2.apk")));
            }
            for (Future<Mother> f : futures) {
                assertEquals(10_000, f.get().size());
            }
        }
        assertEquals(1, store.opens.get());
    }

    @Test
    void locationsThatCanNeverWorkAreRejectedWithTheReason() throws Exception {
        Path root = Files.createDirectories(temp.resolve("apks"));
        Path outside = Files.writeString(temp.resolve("secret.apk"), "x");
        Files.createSymbolicLink(root.resolve("link.apk"), outside);
        MotherCache cache = cache(1 << 20, root, new CountingStore(temp.resolve("bucket")));
        Map<String, String> cases = Map.of(
                outside.toUri().toString(), "outside the allowed roots",
                root.resolve("link.apk").toUri().toString(), "links outside the allowed roots",
                root.resolve("missing.apk").toUri().toString(), "does not exist",
                "https://evil.example.net/game.apk", "not in the allowed hosts",
                "ftp://cdn.example.com/game.apk", "must be file://",
                "store://nowhere/game.apk", "not configured",
                "store://releases/missing.apk", "no object");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            MotherRejectedException e = assertThrows(MotherRejectedException.class, () -> cache.fetch(c.getKey()), c.getKey());
            assertTrue(e.getMessage().contains(c.getValue()), c.getKey() + ": " + e.getMessage());
        }
    }

    @Test
    void theCacheStaysUnderItsCapByEvictingTheLeastRecentlyUsed() throws Exception {
        Path root = Files.createDirectories(temp.resolve("apks"));
        MotherCache cache = cache(2_500, root, null);
        List<Mother> mothers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path file = Files.writeString(root.resolve("m" + i + ".apk"), Integer.toString(i).repeat(1_000));
            mothers.add(cache.fetch(file.toUri().toString()));
            Thread.sleep(20);
        }
        assertFalse(Files.exists(mothers.get(0).file()), "the oldest went");
        assertTrue(Files.exists(mothers.get(2).file()));
        assertEquals(mothers.get(0), cache.fetch(root.resolve("m0.apk").toUri().toString()), "fetched again when needed");
        assertTrue(Files.exists(mothers.get(0).file()));

        Path huge = Files.writeString(root.resolve("huge.apk"), "h".repeat(3_000));
        assertTrue(assertThrows(MotherRejectedException.class, () -> cache.fetch(huge.toUri().toString())).getMessage().contains("larger than the whole cache"));
    }
}
