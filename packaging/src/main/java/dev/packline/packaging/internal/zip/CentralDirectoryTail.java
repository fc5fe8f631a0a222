package dev.packline.packaging.internal.zip;

import dev.packline.packaging.MalformedApkException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * The central directory and end records of an archive, as bytes, and the only edit a channel
 * write makes to them: moving the central directory to another offset. That rewrites the offset
 * field of the end record (or, for ZIP64, of the ZIP64 record, plus the locator's pointer to that
 * record) and nothing else, so everything the v2/v3 signatures digest stays as it was.
 */
public final class CentralDirectoryTail {
    private final ZipSections sections;
    private final byte[] bytes;

    private CentralDirectoryTail(ZipSections sections, byte[] bytes) {
        this.sections = sections;
        this.bytes = bytes;
    }

    /** Reads the tail of the archive; it is small (central directory size plus ~100 bytes). */
    public static CentralDirectoryTail read(FileChannel file, ZipSections sections) throws IOException, MalformedApkException {
        long length = sections.tailLength();
        if (length > Integer.MAX_VALUE - 64) {
            throw new MalformedApkException("central directory of " + length + " bytes is too large");
        }
        byte[] bytes = new byte[(int) length];
        ZipSections.read(file, sections.centralDirectoryOffset(), bytes.length).get(bytes);
        return new CentralDirectoryTail(sections, bytes);
    }

    public ZipSections sections() {
        return sections;
    }

    public int length() {
        return bytes.length;
    }

    /** The tail unchanged. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The tail as it must read when the central directory starts at {@code newOffset}. */
    public byte[] movedTo(long newOffset) throws MalformedApkException {
        ByteBuffer out = ByteBuffer.wrap(bytes.clone()).order(ByteOrder.LITTLE_ENDIAN);
        long delta = newOffset - sections.centralDirectoryOffset();
        int eocd = (int) (sections.eocdOffset() - sections.centralDirectoryOffset());
        if (sections.zip64()) {
            int record = (int) (sections.endRecordsOffset() - sections.centralDirectoryOffset());
            int locator = eocd - ZipSections.ZIP64_LOCATOR_SIZE;
            out.putLong(record + 48, newOffset);
            out.putLong(locator + 8, sections.endRecordsOffset() + delta);
            long classic = Integer.toUnsignedLong(out.getInt(eocd + 16));
            if (classic != ZipSections.UINT32_MAX) {
                out.putInt(eocd + 16, (int) Math.min(newOffset, ZipSections.UINT32_MAX));
            }
        } else {
            if (newOffset > ZipSections.UINT32_MAX) {
                throw new MalformedApkException("central directory would move past 4 GiB (" + newOffset
                        + "), which needs ZIP64 end records this archive does not have");
            }
            out.putInt(eocd + 16, (int) newOffset);
        }
        return out.array();
    }
}
