package dev.packline.packaging;

import dev.packline.packaging.internal.apk.ApkLayout;
import dev.packline.packaging.internal.zip.ZipSections;
import dev.packline.packaging.sample.SampleApkBuilder;
import dev.packline.packaging.sample.SampleArchive;
import dev.packline.packaging.sample.SampleText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;

/**
 * Two releases of one app, as real signed APKs: compressible "code" and "data" entries deflated at
 * zlib levels 9, 6 and 1 that change a little between releases, an unchanged deflated entry, a
 * stored entry, an entry added and one removed, and two deflated entries zlib cannot reproduce (a
 * stream with sync flushes, and one whose level changes halfway).
 */
public final class ApkReleases {
    public static final String[] NOT_REPRODUCIBLE = {"assets/sync-flushed.txt", "assets/level-mix.txt"};

    /** Signing set-ups of the releases. */
    public enum Signing {
        V1_V2(new SampleApkBuilder().sdk(21, 33).schemes(true, true, false)),
        V2_ONLY(new SampleApkBuilder().sdk(24, 33).schemes(false, true, false)),
        V2_V3(new SampleApkBuilder().sdk(24, 33).schemes(false, true, true));

        final SampleApkBuilder builder;

        Signing(SampleApkBuilder builder) {
            this.builder = builder.key(Mothers.KEY);
        }

        int minSdk() {
            return this == V1_V2 ? 21 : 24;
        }
    }

    private ApkReleases() {
    }

    /** Release 1 or 2, signed. */
    public static Path build(Path directory, Signing signing, int release) throws IOException {
        Path unsigned = directory.resolve(signing.name().toLowerCase() + "-" + release + "-unsigned.apk");
        try (SampleArchive archive = new SampleArchive(unsigned, false)) {
            entries(archive, signing.minSdk(), release);
        }
        Path apk = directory.resolve(signing.name().toLowerCase() + "-" + release + ".apk");
        signing.builder.signArchive(unsigned, apk);
        Files.delete(unsigned);
        return apk;
    }

    /** Release 1 or 2 as a ZIP64 archive carrying a real (lifted) v2+v3 signing block; apksig cannot sign or verify ZIP64. */
    static Path buildZip64(Path directory, int release) throws IOException {
        Path donor = Signing.V2_V3.builder.build(directory.resolve("zip64-donor-" + release + ".apk"));
        byte[] block;
        try (FileChannel file = FileChannel.open(donor)) {
            ApkLayout layout = ApkLayout.read(donor, file);
            long offset = layout.signingBlock().orElseThrow().offset();
            block = ZipSections.read(file, offset, (int) (layout.zip().centralDirectoryOffset() - offset)).array();
        } catch (PackagingException e) {
            throw new IOException(e);
        }
        Path apk = directory.resolve("zip64-" + release + ".apk");
        try (SampleArchive archive = new SampleArchive(apk, true)) {
            entries(archive, 24, release);
            archive.signingBlock(block);
        }
        return apk;
    }

    private static void entries(SampleArchive archive, int minSdk, int release) throws IOException {
        archive.fixture(minSdk, 33);
        archive.deflated("classes.dex", text(1, 12_000, release), 9);
        archive.deflated("assets/data.json", text(2, 6_000, release), 6);
        archive.deflated("res/raw/unchanged.txt", text(3, 2_000, 1), 6);
        archive.stored("assets/stored.bin", text(4, 3_000, release));
        byte[] synced = text(5, 4_000, release);
        archive.precompressed("assets/sync-flushed.txt", synced, syncFlushed(synced));
        byte[] mixed = text(6, 4_000, release);
        archive.precompressed("assets/level-mix.txt", mixed, levelMix(mixed));
        if (release == 1) {
            archive.deflated("assets/removed.txt", text(7, 500, 1), 6);
        } else {
            archive.deflated("assets/added.txt", text(8, 500, 1), 1);
        }
    }

    static byte[] text(long seed, int lines, int release) {
        return SampleText.lines(seed, lines, release);
    }

    /** Level 6 with a sync flush every 10,000 bytes: empty stored blocks zlib never emits on its own. */
    static byte[] syncFlushed(byte[] data) {
        Deflater deflater = new Deflater(6, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        for (int offset = 0; offset < data.length; offset += 10_000) {
            deflater.setInput(data, offset, Math.min(10_000, data.length - offset));
            int count;
            while ((count = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH)) > 0) {
                out.write(buffer, 0, count);
            }
        }
        return finish(deflater, out, buffer);
    }

    /** Level 1 for the first half, level 9 for the rest: a mix no single zlib setting gives. */
    static byte[] levelMix(byte[] data) {
        Deflater deflater = new Deflater(1, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        int half = data.length / 2;
        deflater.setInput(data, 0, half);
        while (!deflater.needsInput()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.setLevel(9);
        deflater.setInput(data, half, data.length - half);
        while (!deflater.needsInput()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        return finish(deflater, out, buffer);
    }

    private static byte[] finish(Deflater deflater, ByteArrayOutputStream out, byte[] buffer) {
        deflater.finish();
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }
}
