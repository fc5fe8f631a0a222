package dev.packline.packaging.internal.zip;

import dev.packline.packaging.MalformedApkException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The entry list of a central directory: names and where their local headers start. Enough to
 * tell an APK from another ZIP, find the v1 signature files and a v1 channel entry, without
 * opening the entries themselves.
 */
public final class CentralDirectory {
    private static final int RECORD_SIGNATURE = 0x02014b50;
    private static final int RECORD_FIXED_SIZE = 46;

    /** One entry of the central directory; {@code method} 0 is stored, 8 deflated. */
    public record Entry(String name, long localHeaderOffset, long compressedSize, int method, long crc32, long uncompressedSize) {
    }

    private CentralDirectory() {
    }

    /** Parses the records at the start of {@code tail} (see {@link CentralDirectoryTail}). */
    public static List<Entry> entries(byte[] tail, ZipSections sections) throws MalformedApkException {
        ByteBuffer records = ByteBuffer.wrap(tail, 0, (int) sections.centralDirectorySize()).slice()
                .order(ByteOrder.LITTLE_ENDIAN);
        List<Entry> entries = new ArrayList<>();
        while (records.hasRemaining()) {
            int start = records.position();
            if (records.remaining() < RECORD_FIXED_SIZE || records.getInt(start) != RECORD_SIGNATURE) {
                throw new MalformedApkException("central directory record #" + (entries.size() + 1)
                        + " is truncated or has no signature");
            }
            int nameLength = Short.toUnsignedInt(records.getShort(start + 28));
            int extraLength = Short.toUnsignedInt(records.getShort(start + 30));
            int commentLength = Short.toUnsignedInt(records.getShort(start + 32));
            long compressedSize = Integer.toUnsignedLong(records.getInt(start + 20));
            long uncompressedSize = Integer.toUnsignedLong(records.getInt(start + 24));
            long localHeaderOffset = Integer.toUnsignedLong(records.getInt(start + 42));
            int end = start + RECORD_FIXED_SIZE + nameLength + extraLength + commentLength;
            if (end > records.limit()) {
                throw new MalformedApkException("central directory record #" + (entries.size() + 1) + " runs past the directory");
            }
            byte[] name = new byte[nameLength];
            records.get(start + RECORD_FIXED_SIZE, name);
            if (localHeaderOffset == ZipSections.UINT32_MAX || compressedSize == ZipSections.UINT32_MAX
                    || uncompressedSize == ZipSections.UINT32_MAX) {
                long[] zip64 = zip64Values(records, start + RECORD_FIXED_SIZE + nameLength, extraLength,
                        uncompressedSize == ZipSections.UINT32_MAX,
                        compressedSize == ZipSections.UINT32_MAX, localHeaderOffset == ZipSections.UINT32_MAX);
                uncompressedSize = zip64[2] >= 0 ? zip64[2] : uncompressedSize;
                compressedSize = zip64[0] >= 0 ? zip64[0] : compressedSize;
                localHeaderOffset = zip64[1] >= 0 ? zip64[1] : localHeaderOffset;
            }
            entries.add(new Entry(new String(name, StandardCharsets.UTF_8), localHeaderOffset, compressedSize,
                    Short.toUnsignedInt(records.getShort(start + 10)), Integer.toUnsignedLong(records.getInt(start + 16)),
                    uncompressedSize));
            records.position(end);
        }
        if (entries.size() != sections.entryCount()) {
            throw new MalformedApkException("end record counts " + sections.entryCount() + " entries, the central directory holds "
                    + entries.size());
        }
        return entries;
    }

    /** Reads the ZIP64 extended information extra field: {compressed size, local header offset, size}, -1 when absent. */
    private static long[] zip64Values(ByteBuffer records, int extraStart, int extraLength, boolean hasSize,
            boolean hasCompressed, boolean hasOffset) throws MalformedApkException {
        int position = extraStart;
        int end = extraStart + extraLength;
        while (position + 4 <= end) {
            int id = Short.toUnsignedInt(records.getShort(position));
            int size = Short.toUnsignedInt(records.getShort(position + 2));
            if (id == 0x0001) {
                int field = position + 4;
                long compressed = -1;
                long offset = -1;
                long uncompressed = -1;
                if (hasSize) {
                    uncompressed = records.getLong(field);
                    field += 8;
                }
                if (hasCompressed) {
                    compressed = records.getLong(field);
                    field += 8;
                }
                if (hasOffset) {
                    offset = records.getLong(field);
                }
                return new long[] {compressed, offset, uncompressed};
            }
            position += 4 + size;
        }
        throw new MalformedApkException("central directory record needs a ZIP64 extra field and has none");
    }
}
