package dev.packline.apkpatch;

import static dev.packline.apkpatch.ApkPatchException.Failure.CORRUPT_PATCH;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The plan section of a patch: which old entries to inflate into the delta-friendly old file, and
 * which ranges of the delta-friendly new file to deflate again, with what settings. Both lists are
 * in ascending offset order without overlaps; {@link #read} refuses anything else, so a damaged
 * plan fails before any output is written.
 */
public final class PatchPlan {
    private final List<InflateRange> inflate;
    private final List<DeflateRange> deflate;

    public PatchPlan(List<InflateRange> inflate, List<DeflateRange> deflate) {
        this.inflate = Collections.unmodifiableList(new ArrayList<InflateRange>(inflate));
        this.deflate = Collections.unmodifiableList(new ArrayList<DeflateRange>(deflate));
    }

    public List<InflateRange> inflate() {
        return inflate;
    }

    public List<DeflateRange> deflate() {
        return deflate;
    }

    public void write(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(inflate.size());
        for (InflateRange range : inflate) {
            data.writeLong(range.offset());
            data.writeLong(range.compressedLength());
            data.writeLong(range.uncompressedLength());
            writeName(data, range.name());
        }
        data.writeInt(deflate.size());
        for (DeflateRange range : deflate) {
            data.writeLong(range.offset());
            data.writeLong(range.uncompressedLength());
            data.writeLong(range.compressedLength());
            data.writeInt(range.compressedCrc32());
            data.writeByte(range.settings().level());
            data.writeByte(range.settings().strategy());
            data.writeByte(range.settings().nowrap() ? 1 : 0);
            writeName(data, range.name());
        }
        data.flush();
    }

    /** Reads the plan section of {@code patch}, whose header is {@code header}. */
    public static PatchPlan read(File patch, PatchHeader header) throws IOException, ApkPatchException {
        InputStream in = SectionInput.open(patch, header.sectionOffset(0), header.sectionLength(0));
        try {
            return read(in, header.oldSize(), header.deltaNewSize());
        } finally {
            in.close();
        }
    }

    /** Reads a plan and checks it against the sizes of the old APK and the delta-friendly new file. */
    public static PatchPlan read(InputStream in, long oldSize, long deltaNewSize) throws IOException, ApkPatchException {
        DataInputStream data = new DataInputStream(in);
        try {
            int inflateCount = count(data.readInt());
            List<InflateRange> inflate = new ArrayList<InflateRange>(Math.min(inflateCount, 1 << 16));
            long end = 0;
            for (int i = 0; i < inflateCount; i++) {
                long offset = data.readLong();
                long compressed = data.readLong();
                long uncompressed = data.readLong();
                InflateRange range = new InflateRange(readName(data), offset, compressed, uncompressed);
                end = checkRange(range.name(), range.offset(), range.compressedLength(), range.uncompressedLength(), end, oldSize, "old APK");
                inflate.add(range);
            }
            int deflateCount = count(data.readInt());
            List<DeflateRange> deflate = new ArrayList<DeflateRange>(Math.min(deflateCount, 1 << 16));
            end = 0;
            for (int i = 0; i < deflateCount; i++) {
                long offset = data.readLong();
                long uncompressed = data.readLong();
                long compressed = data.readLong();
                int crc = data.readInt();
                int level = data.readUnsignedByte();
                int strategy = data.readUnsignedByte();
                int nowrap = data.readUnsignedByte();
                String name = readName(data);
                if (level > 9 || strategy > 2 || nowrap > 1) {
                    throw new ApkPatchException(CORRUPT_PATCH, "corrupt zip-aware patch: entry " + name + " has deflate settings "
                            + level + "/" + strategy + "/" + nowrap + " that do not exist");
                }
                end = checkRange(name, offset, uncompressed, compressed, end, deltaNewSize, "delta-friendly new file");
                deflate.add(new DeflateRange(name, offset, uncompressed, compressed, crc, new DeflateSettings(level, strategy, nowrap == 1)));
            }
            if (data.read() != -1) {
                throw new ApkPatchException(CORRUPT_PATCH, "corrupt zip-aware patch: bytes after the plan");
            }
            return new PatchPlan(inflate, deflate);
        } catch (EOFException e) {
            throw new ApkPatchException(CORRUPT_PATCH, "corrupt zip-aware patch: its plan is truncated", e);
        }
    }

    private static int count(int count) throws ApkPatchException {
        if (count < 0) {
            throw new ApkPatchException(CORRUPT_PATCH, "corrupt zip-aware patch: negative entry count");
        }
        return count;
    }

    private static long checkRange(String name, long offset, long length, long otherLength, long previousEnd, long fileSize,
            String file) throws ApkPatchException {
        if (offset < previousEnd || length < 0 || otherLength < 0 || offset + length > fileSize || offset + length < offset) {
            throw new ApkPatchException(CORRUPT_PATCH, "corrupt zip-aware patch: entry " + name + " (offset " + offset + ", "
                    + length + " bytes) overlaps the previous one or lies outside the " + fileSize + "-byte " + file);
        }
        return offset + length;
    }

    private static void writeName(DataOutputStream data, String name) throws IOException {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        data.writeShort(bytes.length);
        data.write(bytes);
    }

    private static String readName(DataInputStream data) throws IOException {
        byte[] bytes = new byte[data.readUnsignedShort()];
        data.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
