package dev.packline.packaging.sample;

import com.android.apksig.ApkSigner;
import com.android.apksig.SigningCertificateLineage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Builds real signed APKs for the benchmark and the tests: the committed aapt-compiled manifest
 * and resources (see src/fixtures/sample-app), optional stored payload entries of any size, then
 * apksig signing with the schemes asked for. Nothing here is hand-made signature bytes.
 */
public final class SampleApkBuilder {
    private static final int PAYLOAD_ENTRY_MAX = 64 << 20;
    private static final int BLOCK = 1 << 20;

    private int minSdk = 21;
    private int targetSdk = 33;
    private long payloadBytes;
    private long seed = 1;
    private boolean v1 = true;
    private boolean v2 = true;
    private boolean v3 = true;
    private boolean v4;
    private boolean verity;
    private SampleKey key;
    private SampleKey rotatedKey;

    /**
     * Which compiled manifest to use: (minSdk 21, targetSdk 29), (21, 33) or (24, 33). apksig
     * requires a v1 signature below minSdk 24, so v2-only and v3-only APKs need minSdk 24.
     */
    public SampleApkBuilder sdk(int minSdk, int targetSdk) {
        if (!List.of("21:29", "21:33", "24:33").contains(minSdk + ":" + targetSdk)) {
            throw new IllegalArgumentException("no sample manifest for minSdk " + minSdk + ", targetSdk " + targetSdk);
        }
        this.minSdk = minSdk;
        this.targetSdk = targetSdk;
        return this;
    }

    /** Stored (uncompressed) pseudo-random entries adding up to this many bytes. */
    public SampleApkBuilder payloadBytes(long payloadBytes) {
        this.payloadBytes = payloadBytes;
        return this;
    }

    /** Varies the payload, so two builds can differ like two releases. */
    public SampleApkBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    public SampleApkBuilder schemes(boolean v1, boolean v2, boolean v3) {
        this.v1 = v1;
        this.v2 = v2;
        this.v3 = v3;
        return this;
    }

    /** Also writes a v4 signature to OUTPUT.idsig. */
    public SampleApkBuilder v4(boolean v4) {
        this.v4 = v4;
        return this;
    }

    public SampleApkBuilder verity(boolean verity) {
        this.verity = verity;
        return this;
    }

    public SampleApkBuilder key(SampleKey key) {
        this.key = Objects.requireNonNull(key, "key");
        return this;
    }

    /** Key rotation: {@code key} signs for older platforms (v3.0), {@code rotatedKey} for 33+ (v3.1). */
    public SampleApkBuilder rotateTo(SampleKey rotatedKey) {
        this.rotatedKey = Objects.requireNonNull(rotatedKey, "rotatedKey");
        return this;
    }

    /** Writes the signed APK to {@code output} (and {@code output}.idsig for v4). */
    public Path build(Path output) throws IOException {
        SampleKey signer = key != null ? key : SampleKey.generate("sample");
        Path unsigned = Files.createTempFile(output.toAbsolutePath().getParent(), "unsigned-", ".apk");
        try {
            writeUnsigned(unsigned);
            sign(unsigned, output, signer);
            return output;
        } finally {
            Files.deleteIfExists(unsigned);
        }
    }

    /**
     * Signs an archive made elsewhere (for example by {@link SampleArchive}, with entries deflated
     * in ways ZipOutputStream cannot) with this builder's schemes and key; apksig keeps every
     * entry's data as it is.
     */
    public Path signArchive(Path unsignedArchive, Path output) throws IOException {
        sign(unsignedArchive, output, key != null ? key : SampleKey.generate("sample"));
        return output;
    }

    private void writeUnsigned(Path unsigned) throws IOException {
        try (OutputStream file = Files.newOutputStream(unsigned);
                ZipOutputStream zip = new ZipOutputStream(new java.io.BufferedOutputStream(file, 1 << 16));
                InputStream fixture = SampleApkBuilder.class.getResourceAsStream(fixtureName(minSdk, targetSdk));
                ZipInputStream base = new ZipInputStream(Objects.requireNonNull(fixture, "sample fixture missing"))) {
            for (ZipEntry entry = base.getNextEntry(); entry != null; entry = base.getNextEntry()) {
                byte[] data = base.readAllBytes();
                zip.putNextEntry(stored(entry.getName(), data.length, crc(data)));
                zip.write(data);
                zip.closeEntry();
            }
            long remaining = payloadBytes;
            for (int index = 0; remaining > 0; index++) {
                int size = (int) Math.min(remaining, PAYLOAD_ENTRY_MAX);
                writePayload(zip, "assets/payload-" + index + ".bin", size, seed * 1_000_003 + index);
                remaining -= size;
            }
        }
    }

    /** Pseudo-random 1 MiB block, each copy stamped with its index: incompressible and cheap to make. */
    private static void writePayload(ZipOutputStream zip, String name, int size, long entrySeed) throws IOException {
        byte[] block = new byte[BLOCK];
        new SplittableRandom(entrySeed).nextBytes(block);
        CRC32 crc = new CRC32();
        for (int offset = 0, index = 0; offset < size; offset += BLOCK, index++) {
            ByteBuffer.wrap(block).putLong(0, index);
            crc.update(block, 0, Math.min(BLOCK, size - offset));
        }
        zip.putNextEntry(stored(name, size, crc.getValue()));
        for (int offset = 0, index = 0; offset < size; offset += BLOCK, index++) {
            ByteBuffer.wrap(block).putLong(0, index);
            zip.write(block, 0, Math.min(BLOCK, size - offset));
        }
        zip.closeEntry();
    }

    private static ZipEntry stored(String name, long size, long crc) {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(size);
        entry.setCompressedSize(size);
        entry.setCrc(crc);
        entry.setTime(315532800000L);
        return entry;
    }

    private static String fixtureName(int minSdk, int targetSdk) {
        return "base-min" + minSdk + "-target" + targetSdk + ".apk";
    }

    private static long crc(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return crc.getValue();
    }

    private void sign(Path unsigned, Path output, SampleKey signer) throws IOException {
        try {
            List<ApkSigner.SignerConfig> configs = new ArrayList<>();
            configs.add(config(signer));
            ApkSigner.Builder builder;
            if (rotatedKey != null) {
                SigningCertificateLineage lineage = new SigningCertificateLineage.Builder(
                        new SigningCertificateLineage.SignerConfig.Builder(signer.keyPair().getPrivate(), signer.certificate()).build(),
                        new SigningCertificateLineage.SignerConfig.Builder(rotatedKey.keyPair().getPrivate(),
                                rotatedKey.certificate()).build()).build();
                configs.add(config(rotatedKey));
                builder = new ApkSigner.Builder(configs).setSigningCertificateLineage(lineage).setMinSdkVersionForRotation(33);
            } else {
                builder = new ApkSigner.Builder(configs);
            }
            builder.setInputApk(unsigned.toFile()).setOutputApk(output.toFile())
                    .setV1SigningEnabled(v1).setV2SigningEnabled(v2).setV3SigningEnabled(v3)
                    .setVerityEnabled(verity).setCreatedBy("Packline sample builder");
            if (v4) {
                builder.setV4SigningEnabled(true).setV4SignatureOutputFile(output.resolveSibling(output.getFileName() + ".idsig").toFile());
            } else {
                builder.setV4SigningEnabled(false);
            }
            builder.build().sign();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("apksig could not sign the sample APK: " + e, e);
        }
    }

    private static ApkSigner.SignerConfig config(SampleKey key) {
        return new ApkSigner.SignerConfig.Builder(key.name(), key.keyPair().getPrivate(), List.of(key.certificate())).build();
    }

    /** The raw bytes of a fixture entry (for tests that need the compiled manifest itself). */
    public static byte[] fixtureEntry(int minSdk, int targetSdk, String name) throws IOException {
        try (InputStream fixture = SampleApkBuilder.class.getResourceAsStream(fixtureName(minSdk, targetSdk));
                ZipInputStream base = new ZipInputStream(Objects.requireNonNull(fixture, "sample fixture missing"))) {
            for (ZipEntry entry = base.getNextEntry(); entry != null; entry = base.getNextEntry()) {
                if (entry.getName().equals(name)) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    base.transferTo(out);
                    return out.toByteArray();
                }
            }
        }
        throw new IOException("no entry " + name + " in the sample fixture");
    }
}
