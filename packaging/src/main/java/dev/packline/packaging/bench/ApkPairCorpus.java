package dev.packline.packaging.bench;

import dev.packline.packaging.sample.SampleApkBuilder;
import dev.packline.packaging.sample.SampleArchive;
import dev.packline.packaging.sample.SampleKey;
import dev.packline.packaging.sample.SampleText;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The APK pairs of {@code bench diff --apk}: real consecutive releases from the cache that
 * bench/fetch-apk-pairs.sh fills (PACKAGE/VERSION/NAME.apk), and generated large pairs: a signed
 * mother of mostly incompressible assets (stored, and deflated like media already compressed)
 * plus deflated code and resources, and a new release where only a few entries changed.
 */
final class ApkPairCorpus {
    private static final int ASSET = 8 << 20;

    /** One old/new pair; {@code source} says where it comes from. */
    record Pair(String label, Path oldApk, Path newApk, String source) {
    }

    private ApkPairCorpus() {
    }

    /** Every APK present in two consecutive cached versions of a package. */
    static List<Pair> real(Path cache) throws IOException {
        List<Pair> pairs = new ArrayList<>();
        if (!Files.isDirectory(cache)) {
            return pairs;
        }
        for (Path pkg : list(cache)) {
            List<Path> versions = list(pkg).stream().filter(Files::isDirectory)
                    .sorted(Comparator.comparing(path -> versionKey(path.getFileName().toString()))).toList();
            for (int i = 1; i < versions.size(); i++) {
                for (Path newApk : list(versions.get(i))) {
                    Path oldApk = versions.get(i - 1).resolve(newApk.getFileName());
                    if (newApk.toString().endsWith(".apk") && Files.isRegularFile(oldApk)) {
                        String name = pkg.getFileName() + " " + newApk.getFileName() + " " + versions.get(i - 1).getFileName()
                                + " -> " + versions.get(i).getFileName();
                        pairs.add(new Pair(name, oldApk, newApk, "npm " + pkg.getFileName()));
                    }
                }
            }
        }
        return pairs;
    }

    /** A generated pair whose mother is about {@code sizeMb} MiB, written into {@code work}. */
    static Pair generated(Path work, int sizeMb) throws IOException {
        SampleKey key = SampleKey.generate("bench-diff");
        Path oldApk = generatedRelease(work, sizeMb, 1, key);
        Path newApk = generatedRelease(work, sizeMb, 2, key);
        return new Pair("generated " + sizeMb + " MiB mother, few entries changed", oldApk, newApk, "generated (SampleArchive, apksig v2+v3)");
    }

    private static Path generatedRelease(Path work, int sizeMb, int release, SampleKey key) throws IOException {
        Path unsigned = work.resolve("generated-" + sizeMb + "-" + release + "-unsigned.apk");
        long assetBytes = Math.max(ASSET, ((long) sizeMb << 20) - (24L << 20));
        try (SampleArchive archive = new SampleArchive(unsigned, false)) {
            archive.fixture(24, 33);
            archive.deflated("classes.dex", SampleText.lines(11, 120_000, release), 9);
            archive.deflated("classes2.dex", SampleText.lines(12, 60_000, 1), 9);
            for (int index = 0; index < 200; index++) {
                // five resources change in release 2
                archive.deflated("res/layout/screen_" + index + ".xml", SampleText.lines(100 + index, 400, index % 40 == 0 ? release : 1), 6);
            }
            int assets = (int) (assetBytes / ASSET);
            for (int index = 0; index < assets; index++) {
                byte[] data = asset(index, release == 2 && index == 3 ? 99 : 0);
                if (release == 2 && index == 5) {
                    ByteBuffer.wrap(data).putLong(ASSET / 2, 0x5041434b4c494e45L);
                }
                if (index % 2 == 0) {
                    archive.stored("assets/media/stored-" + index + ".bin", data);
                } else {
                    archive.deflated("assets/media/deflated-" + index + ".bin", data, 6);
                }
            }
            if (release == 2) {
                archive.deflated("assets/whats-new.txt", SampleText.lines(13, 2_000, 1), 6);
            }
        }
        Path apk = work.resolve("generated-" + sizeMb + "-" + release + ".apk");
        new SampleApkBuilder().sdk(24, 33).schemes(false, true, true).key(key).signArchive(unsigned, apk);
        Files.delete(unsigned);
        return apk;
    }

    /** Incompressible like encoded media; {@code variant} other than 0 gives a different asset of the same name. */
    private static byte[] asset(int index, int variant) {
        byte[] data = new byte[ASSET];
        new SplittableRandom(index * 1_000_003L + variant).nextBytes(data);
        return data;
    }

    private static List<Path> list(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(path -> !path.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    /** "10.6.12" sorts after "10.6.4": numeric parts padded. */
    private static String versionKey(String version) {
        StringBuilder key = new StringBuilder();
        for (String part : version.split("[.-]")) {
            key.append(part.matches("\\d+") ? String.format("%010d", Long.parseLong(part)) : part).append('.');
        }
        return key.toString();
    }
}
