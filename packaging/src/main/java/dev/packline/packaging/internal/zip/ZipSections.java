package dev.packline.packaging.internal.zip;

import dev.packline.packaging.MalformedApkException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Where the three parts of a ZIP archive lie: the entries (and, in an APK, the signing block) up
 * to {@link #centralDirectoryOffset()}, the central directory, then the end records, which run from
 * {@link #endRecordsOffset()} to the end of the file. For a ZIP64 archive the end records are the
 * ZIP64 end of central directory record, its locator and the classic end record; otherwise only the
 * classic one. Offsets are longs throughout: APKs over 2 GB and ZIP64 archives are ordinary here.
 */
public record ZipSections(long centralDirectoryOffset, long centralDirectorySize, long entryCount,
        long endRecordsOffset, long eocdOffset, boolean zip64, long fileSize) {

    static final int EOCD_SIGNATURE = 0x06054b50;
    static final int EOCD_MIN_SIZE = 22;
    static final int ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
    static final int ZIP64_LOCATOR_SIZE = 20;
    static final int ZIP64_EOCD_SIGNATURE = 0x06064b50;
    static final int ZIP64_EOCD_MIN_SIZE = 56;
    static final long UINT32_MAX = 0xffffffffL;

    /** Reads the end records of the archive open in {@code file} (only the last 64 KiB or so). */
    public static ZipSections locate(FileChannel file) throws IOException, MalformedApkException {
        long fileSize = file.size();
        if (fileSize < EOCD_MIN_SIZE) {
            throw new MalformedApkException("not a ZIP archive (" + fileSize + " bytes is too short)");
        }
        int searched = (int) Math.min(fileSize, EOCD_MIN_SIZE + 0xffff);
        ByteBuffer end = read(file, fileSize - searched, searched);
        int eocdInBuffer = findEndRecord(end);
        if (eocdInBuffer < 0) {
            throw new MalformedApkException("not a ZIP archive (no end of central directory record)");
        }
        long eocdOffset = fileSize - searched + eocdInBuffer;
        long cdSize = Integer.toUnsignedLong(end.getInt(eocdInBuffer + 12));
        long cdOffset = Integer.toUnsignedLong(end.getInt(eocdInBuffer + 16));
        long entries = Short.toUnsignedInt(end.getShort(eocdInBuffer + 10));
        long endRecordsOffset = eocdOffset;
        boolean zip64 = false;

        if (eocdOffset >= ZIP64_LOCATOR_SIZE) {
            ByteBuffer locator = read(file, eocdOffset - ZIP64_LOCATOR_SIZE, ZIP64_LOCATOR_SIZE);
            if (locator.getInt(0) == ZIP64_LOCATOR_SIGNATURE) {
                zip64 = true;
                long recordOffset = locator.getLong(8);
                if (recordOffset < 0 || recordOffset > eocdOffset - ZIP64_LOCATOR_SIZE - ZIP64_EOCD_MIN_SIZE) {
                    throw new MalformedApkException("ZIP64 locator points outside the archive (" + recordOffset + ")");
                }
                ByteBuffer record = read(file, recordOffset, ZIP64_EOCD_MIN_SIZE);
                if (record.getInt(0) != ZIP64_EOCD_SIGNATURE) {
                    throw new MalformedApkException("ZIP64 locator does not point at a ZIP64 end of central directory record");
                }
                long recordEnd = recordOffset + 12 + record.getLong(4);
                if (recordEnd != eocdOffset - ZIP64_LOCATOR_SIZE) {
                    throw new MalformedApkException("ZIP64 end of central directory record size lies ("
                            + record.getLong(4) + ")");
                }
                entries = record.getLong(32);
                cdSize = record.getLong(40);
                cdOffset = record.getLong(48);
                endRecordsOffset = recordOffset;
            }
        }
        if (cdOffset < 0 || cdSize < 0 || cdOffset > endRecordsOffset) {
            throw new MalformedApkException("central directory offset " + cdOffset + " lies beyond its end record");
        }
        if (cdOffset + cdSize != endRecordsOffset) {
            throw new MalformedApkException("central directory (offset " + cdOffset + ", size " + cdSize
                    + ") is not immediately followed by the end of central directory record (offset "
                    + endRecordsOffset + ")");
        }
        return new ZipSections(cdOffset, cdSize, entries, endRecordsOffset, eocdOffset, zip64, fileSize);
    }

    /** The bytes from the central directory to the end of the file: what a channel write relocates. */
    public long tailLength() {
        return fileSize - centralDirectoryOffset;
    }

    /** Scans backwards for an end record whose comment length reaches exactly the end of the file. */
    private static int findEndRecord(ByteBuffer end) {
        int last = end.capacity() - EOCD_MIN_SIZE;
        for (int position = last; position >= 0; position--) {
            if (end.getInt(position) == EOCD_SIGNATURE) {
                int commentLength = Short.toUnsignedInt(end.getShort(position + 20));
                if (position + EOCD_MIN_SIZE + commentLength == end.capacity()) {
                    return position;
                }
            }
        }
        return -1;
    }

    /** Reads exactly {@code length} bytes at {@code position}, little-endian. */
    public static ByteBuffer read(FileChannel file, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            int read = file.read(buffer, position + buffer.position());
            if (read < 0) {
                throw new IOException("unexpected end of file at " + (position + buffer.position()));
            }
        }
        return buffer.flip();
    }
}
