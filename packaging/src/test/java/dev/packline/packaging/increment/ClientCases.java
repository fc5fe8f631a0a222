package dev.packline.packaging.increment;

import dev.packline.packaging.offline.LoadingStrategy;
import dev.packline.packaging.offline.OfflinePackageWriter;
import dev.packline.packaging.offline.OfflinePatchMaker;
import dev.packline.packaging.offline.PackageRole;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Increments of every format made by this module's makers, for the reference clients to apply:
 * chunk increments at two chunk sizes and bsdiff-gz increments of generated bundles, a bsdiff-gz
 * increment of binary data, and an offline patch with a changed, a renamed (content-hashed), an
 * added and a removed file. Each case names its old file, patch and expected result, relative to
 * the directory they are written to.
 */
final class ClientCases {
    private final Path dir;

    ClientCases(Path dir) {
        this.dir = dir;
    }

    List<Map<String, String>> write() throws Exception {
        List<Map<String, String>> cases = new ArrayList<>();
        for (long seed = 1; seed <= 3; seed++) {
            String[] pair = Golden.bundlePair(seed, 2000);
            Files.writeString(dir.resolve("old-" + seed + ".js"), pair[0]);
            Files.writeString(dir.resolve("new-" + seed + ".js"), pair[1]);
            for (int chunkSize : new int[] {7, 12}) {
                String patch = "chunk-" + seed + "-" + chunkSize + ".json";
                new ChunkIncrementMaker(chunkSize).make(dir.resolve("old-" + seed + ".js"), dir.resolve("new-" + seed + ".js"), dir.resolve(patch));
                cases.add(Map.of("kind", "chunk", "old", "old-" + seed + ".js", "patch", patch, "expected", "new-" + seed + ".js"));
            }
            String patch = "bsdiff-" + seed + ".bin";
            new BsdiffGzipMaker().make(dir.resolve("old-" + seed + ".js"), dir.resolve("new-" + seed + ".js"), dir.resolve(patch));
            cases.add(Map.of("kind", "bsdiff-gz", "old", "old-" + seed + ".js", "patch", patch, "expected", "new-" + seed + ".js"));
        }
        Random random = new Random(3);
        byte[] binary = new byte[300_000];
        random.nextBytes(binary);
        byte[] changed = binary.clone();
        for (int i = 0; i < 500; i++) {
            changed[random.nextInt(changed.length)] = (byte) random.nextInt();
        }
        Files.write(dir.resolve("old.bin"), binary);
        Files.write(dir.resolve("new.bin"), changed);
        new BsdiffGzipMaker().make(dir.resolve("old.bin"), dir.resolve("new.bin"), dir.resolve("binary.patch"));
        cases.add(Map.of("kind", "bsdiff-gz", "old", "old.bin", "patch", "binary.patch", "expected", "new.bin"));
        cases.add(offlineCase(binary, changed));
        return cases;
    }


    private Map<String, String> offlineCase(byte[] binary, byte[] changed) throws Exception {
        String[] bundle = Golden.bundlePair(9, 3000);
        SortedMap<String, byte[]> older = new TreeMap<>(Map.of("index.html", "<p>v1</p>".getBytes(StandardCharsets.UTF_8),
                "js/main.a1b2c3.js", bundle[0].getBytes(StandardCharsets.UTF_8), "img/photo.bin", binary,
                "gone.txt", "bye".getBytes(StandardCharsets.UTF_8)));
        SortedMap<String, byte[]> newer = new TreeMap<>(Map.of("index.html", "<p>v2</p>".getBytes(StandardCharsets.UTF_8),
                "js/main.d4e5f6.js", bundle[1].getBytes(StandardCharsets.UTF_8), "img/photo.bin", changed,
                "new/added.css", "a{color:red}".getBytes(StandardCharsets.UTF_8)));
        OfflinePackageWriter writer = new OfflinePackageWriter();
        writer.write(older, new OfflinePackageWriter.Identity("shop", "3.0.0", PackageRole.SUB, Optional.of("1.0.0"), LoadingStrategy.IDLE),
                dir.resolve("shop-3.0.0.zip"));
        writer.write(newer, new OfflinePackageWriter.Identity("shop", "3.1.0", PackageRole.SUB, Optional.of("1.0.0"), LoadingStrategy.IDLE),
                dir.resolve("shop-3.1.0.zip"));
        new OfflinePatchMaker().make(dir.resolve("shop-3.0.0.zip"), dir.resolve("shop-3.1.0.zip"), dir.resolve("shop.patch"));
        return Map.of("kind", "offline", "old", "shop-3.0.0.zip", "patch", "shop.patch", "expected", "shop-3.1.0.zip");
    }
}
