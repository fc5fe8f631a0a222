package dev.packline.packaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.packline.packaging.internal.apk.ApkLayout;
import dev.packline.packaging.internal.apk.SigningBlock;
import dev.packline.packaging.internal.io.FileRegions;
import dev.packline.packaging.internal.zip.ZipSections;
import dev.packline.packaging.sample.SampleApkBuilder;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An APK over 4 GiB, which needs ZIP64 end records: its entries are a sparse file, so building it
 * is cheap, but every channel write and strip really copies 4 GiB (about 20 s in all on CI's two
 * cores). apksig (and Android) cannot read ZIP64 APKs, so the signing block is a real apksig block
 * lifted from a small APK: what is checked is the layout, which is what a channel write touches.
 */
@Tag("slow")
class Zip64ChannelTest {
    private static final long HUGE = (4L << 30) + (16L << 20);

    @TempDir
    Path directory;

    @Test
    void channelsGoIntoZip64ApksOver4GiBAndStripBackExactly() throws Exception {
        Path mother = buildZip64Apk(directory.resolve("huge.apk"));
        ApkLayout motherLayout = ApkLayout.read(mother);
        assertTrue(motherLayout.zip().zip64());
        assertTrue(motherLayout.zip().centralDirectoryOffset() > 0xffffffffL);
        ApkReport report = ApkInspector.inspect(mother);
        assertTrue(report.zip64());
        assertTrue(report.signatureVerified().isEmpty(), "apksig cannot verify ZIP64, and the report says so");
        assertEquals("包线渠道测试", report.manifest().label());

        Path output = directory.resolve("huge-channel.apk");
        WrittenChannel written;
        try (ChannelWriter writer = ChannelWriter.open(mother, new ChannelWriter.Options(ChannelFormat.BOTH))) {
            written = writer.write(Channel.of("大文件渠道", java.util.Map.of("size", "4g")), output);
        }
        assertEquals(WrittenChannel.Verification.STRUCTURAL_ZIP64, written.verification());
        assertEquals("大文件渠道", ChannelReader.read(output).orElseThrow().name());

        ApkLayout layout = ApkLayout.read(output);
        assertTrue(layout.zip().zip64());
        SigningBlock block = layout.signingBlock().orElseThrow();
        assertEquals(motherLayout.signingBlock().orElseThrow().offset(), block.offset());
        assertEquals(0, (layout.zip().centralDirectoryOffset() - block.offset()) % 4096);
        try (ZipFile zip = new ZipFile(output.toFile())) {
            assertEquals(3, zip.size());
            assertEquals(HUGE, zip.getEntry("assets/huge.bin").getSize());
            try (var in = zip.getInputStream(zip.getEntry("AndroidManifest.xml"))) {
                assertArrayEquals(SampleApkBuilder.fixtureEntry(24, 33, "AndroidManifest.xml"), in.readAllBytes());
            }
        }
        try (FileChannel file = FileChannel.open(output)) {
            assertEquals(written.sha256(), FileRegions.sha256(file));
        }

        Path stripped = directory.resolve("huge-stripped.apk");
        String strippedSha = ChannelReader.strip(output, stripped).sha256();
        try (FileChannel file = FileChannel.open(mother)) {
            assertEquals(FileRegions.sha256(file), strippedSha, "strip restores the ZIP64 mother byte for byte");
        }
        assertFalse(ApkInspector.verify(output).verified());
    }

    /** Manifest, resources, a sparse 4 GiB + 16 MiB stored entry, a real signing block, ZIP64 end records. */
    private static Path buildZip64Apk(Path file) throws Exception {
        Path small = new SampleApkBuilder().sdk(24, 33).schemes(false, true, true).build(file.resolveSibling("small.apk"));
        ApkLayout smallLayout = ApkLayout.read(small);
        byte[] signingBlock;
        try (FileChannel channel = FileChannel.open(small)) {
            long offset = smallLayout.signingBlock().orElseThrow().offset();
            signingBlock = ZipSections.read(channel, offset, (int) (smallLayout.zip().centralDirectoryOffset() - offset)).array();
        }
        byte[] manifest = SampleApkBuilder.fixtureEntry(24, 33, "AndroidManifest.xml");
        byte[] resources = SampleApkBuilder.fixtureEntry(24, 33, "resources.arsc");
        ByteArrayOutputStream directory = new ByteArrayOutputStream();
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long position = 0;
            position = entry(out, position, directory, "AndroidManifest.xml", manifest, manifest.length, crc(manifest));
            position = entry(out, position, directory, "resources.arsc", resources, resources.length, crc(resources));
            position = entry(out, position, directory, "assets/huge.bin", null, HUGE, zerosCrc(HUGE));
            out.write(ByteBuffer.wrap(signingBlock), position);
            long centralDirectory = position + signingBlock.length;
            byte[] records = directory.toByteArray();
            out.write(ByteBuffer.wrap(records), centralDirectory);
            long zip64Record = centralDirectory + records.length;
            ByteBuffer end = ByteBuffer.allocate(56 + 20 + 22).order(ByteOrder.LITTLE_ENDIAN);
            end.putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0)
                    .putLong(3).putLong(3).putLong(records.length).putLong(centralDirectory);
            end.putInt(0x07064b50).putInt(0).putLong(zip64Record).putInt(1);
            end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) 3).putShort((short) 3)
                    .putInt(records.length).putInt(-1).putShort((short) 0);
            out.write(end.flip(), zip64Record);
        }
        return file;
    }

    /** Writes a stored entry (data null: leave a hole of zeros) and its central directory record. */
    private static long entry(FileChannel out, long position, ByteArrayOutputStream directory, String name, byte[] data,
            long size, long crc) throws Exception {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        boolean zip64 = size >= 0xffffffffL;
        ByteBuffer local = ByteBuffer.allocate(30 + nameBytes.length + (zip64 ? 20 : 0)).order(ByteOrder.LITTLE_ENDIAN);
        local.putInt(0x04034b50).putShort((short) (zip64 ? 45 : 10)).putShort((short) 0x0800).putShort((short) 0)
                .putInt(0x00210000).putInt((int) crc).putInt(zip64 ? -1 : (int) size).putInt(zip64 ? -1 : (int) size)
                .putShort((short) nameBytes.length).putShort((short) (zip64 ? 20 : 0)).put(nameBytes);
        if (zip64) {
            local.putShort((short) 1).putShort((short) 16).putLong(size).putLong(size);
        }
        out.write(local.flip(), position);
        long dataStart = position + local.capacity();
        if (data != null) {
            out.write(ByteBuffer.wrap(data), dataStart);
        }
        ByteBuffer record = ByteBuffer.allocate(46 + nameBytes.length + (zip64 ? 20 : 0)).order(ByteOrder.LITTLE_ENDIAN);
        record.putInt(0x02014b50).putShort((short) 45).putShort((short) (zip64 ? 45 : 10)).putShort((short) 0x0800)
                .putShort((short) 0).putInt(0x00210000).putInt((int) crc).putInt(zip64 ? -1 : (int) size)
                .putInt(zip64 ? -1 : (int) size).putShort((short) nameBytes.length).putShort((short) (zip64 ? 20 : 0))
                .putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0).putInt((int) position).put(nameBytes);
        if (zip64) {
            record.putShort((short) 1).putShort((short) 16).putLong(size).putLong(size);
        }
        directory.write(record.array());
        return dataStart + size;
    }

    private static long crc(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return crc.getValue();
    }

    private static long zerosCrc(long size) {
        CRC32 crc = new CRC32();
        byte[] zeros = new byte[1 << 20];
        for (long done = 0; done < size; done += zeros.length) {
            crc.update(zeros, 0, (int) Math.min(zeros.length, size - done));
        }
        return crc.getValue();
    }
}
