package dev.packline.packaging.sample;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes an unsigned APK-shaped ZIP archive entry by entry, with each entry's compressed bytes
 * chosen by the caller: stored, deflated by zlib at a given level, or deflated by anything else
 * (bytes zlib cannot reproduce). Sign it with {@link SampleApkBuilder#signArchive}; or, with
 * {@code zip64} and a signing block lifted from a signed APK, close it as a ZIP64 archive (apksig
 * cannot sign those). Entries stream to disk, so archives of hundreds of MB cost little heap.
 */
public final class SampleArchive implements AutoCloseable {
    private final OutputStream out;
    private final boolean zip64;
    private final ByteArrayOutputStream directory = new ByteArrayOutputStream();
    private byte[] signingBlock = new byte[0];
    private long position;
    private int count;

    /** {@code zip64}: end the archive with ZIP64 end records and ZIP64 local header offsets in the directory. */
    public SampleArchive(Path file, boolean zip64) throws IOException {
        this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        this.zip64 = zip64;
    }

    /** The compiled manifest and resources of a sample fixture, stored. */
    public SampleArchive fixture(int minSdk, int targetSdk) throws IOException {
        stored("AndroidManifest.xml", SampleApkBuilder.fixtureEntry(minSdk, targetSdk, "AndroidManifest.xml"));
        return stored("resources.arsc", SampleApkBuilder.fixtureEntry(minSdk, targetSdk, "resources.arsc"));
    }

    public SampleArchive stored(String name, byte[] data) throws IOException {
        return entry(name, 0, data, data);
    }

    /** Deflated by java.util.zip at {@code level} with the default strategy, raw (what ZipOutputStream does). */
    public SampleArchive deflated(String name, byte[] data, int level) throws IOException {
        Deflater deflater = new Deflater(level, true);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream compressed = new ByteArrayOutputStream(data.length / 2 + 64);
            byte[] buffer = new byte[1 << 16];
            while (!deflater.finished()) {
                compressed.write(buffer, 0, deflater.deflate(buffer));
            }
            return entry(name, 8, data, compressed.toByteArray());
        } finally {
            deflater.end();
        }
    }

    /** Deflated elsewhere: {@code compressed} must be a raw deflate stream of {@code data}. */
    public SampleArchive precompressed(String name, byte[] data, byte[] compressed) throws IOException {
        return entry(name, 8, data, compressed);
    }

    /** A signing block (bytes of a real one) to place between the entries and the central directory. */
    public SampleArchive signingBlock(byte[] block) {
        this.signingBlock = block.clone();
        return this;
    }

    private SampleArchive entry(String name, int method, byte[] data, byte[] compressed) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        CRC32 crc = new CRC32();
        crc.update(data);
        ByteBuffer local = little(30 + nameBytes.length);
        local.putInt(0x04034b50).putShort((short) 20).putShort((short) 0x800).putShort((short) method).putInt(0x00210000)
                .putInt((int) crc.getValue()).putInt(compressed.length).putInt(data.length)
                .putShort((short) nameBytes.length).putShort((short) 0).put(nameBytes);
        ByteBuffer record = little(46 + nameBytes.length + (zip64 ? 12 : 0));
        record.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0x800).putShort((short) method)
                .putInt(0x00210000).putInt((int) crc.getValue()).putInt(compressed.length).putInt(data.length)
                .putShort((short) nameBytes.length).putShort((short) (zip64 ? 12 : 0)).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0).putInt(0).putInt(zip64 ? -1 : (int) position).put(nameBytes);
        if (zip64) {
            record.putShort((short) 1).putShort((short) 8).putLong(position);
        }
        directory.write(record.array());
        out.write(local.array());
        out.write(compressed);
        position += local.capacity() + compressed.length;
        count++;
        return this;
    }

    /** Writes the signing block, the central directory and the end records. */
    @Override
    public void close() throws IOException {
        try {
            out.write(signingBlock);
            long directoryOffset = position + signingBlock.length;
            byte[] records = directory.toByteArray();
            out.write(records);
            long end = directoryOffset + records.length;
            ByteBuffer tail = little((zip64 ? 56 + 20 : 0) + 22);
            if (zip64) {
                tail.putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0)
                        .putLong(count).putLong(count).putLong(records.length).putLong(directoryOffset);
                tail.putInt(0x07064b50).putInt(0).putLong(end).putInt(1);
            }
            tail.putInt(0x06054b50).putShort((short) 0).putShort((short) 0)
                    .putShort((short) (zip64 ? 0xffff : count)).putShort((short) (zip64 ? 0xffff : count))
                    .putInt(zip64 ? -1 : records.length).putInt(zip64 ? -1 : (int) directoryOffset).putShort((short) 0);
            out.write(tail.array());
        } finally {
            out.close();
        }
    }

    private static ByteBuffer little(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
