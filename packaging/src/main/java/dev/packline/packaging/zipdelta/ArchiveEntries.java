package dev.packline.packaging.zipdelta;

import dev.packline.packaging.MalformedApkException;
import dev.packline.packaging.PackagingException;
import dev.packline.packaging.internal.apk.ApkLayout;
import dev.packline.packaging.internal.zip.CentralDirectory;
import dev.packline.packaging.internal.zip.ZipSections;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads where every entry's data lies in an APK: the central directory gives the local header
 * offsets (ZIP64 included), each local header gives the length of its name and extra field, which
 * may differ from the central directory's (zipalign pads the local extra field).
 */
final class ArchiveEntries {
    private static final int LOCAL_HEADER_SIGNATURE = 0x04034b50;
    private static final int LOCAL_HEADER_SIZE = 30;

    private ArchiveEntries() {
    }

    /** The entries of {@code apk} in the order of their data in the file. */
    static List<ArchiveEntry> read(Path apk, FileChannel file) throws PackagingException, IOException {
        ApkLayout layout = ApkLayout.read(apk, file);
        long entriesEnd = layout.prefixLength();
        List<ArchiveEntry> entries = new ArrayList<>(layout.entries().size());
        for (CentralDirectory.Entry entry : layout.entries()) {
            if (entry.localHeaderOffset() + LOCAL_HEADER_SIZE > entriesEnd) {
                throw new MalformedApkException("entry " + entry.name() + "'s local header runs past the entries");
            }
            ByteBuffer header = ZipSections.read(file, entry.localHeaderOffset(), LOCAL_HEADER_SIZE);
            if (header.getInt(0) != LOCAL_HEADER_SIGNATURE) {
                throw new MalformedApkException("entry " + entry.name() + " has no local header at " + entry.localHeaderOffset());
            }
            long dataOffset = entry.localHeaderOffset() + LOCAL_HEADER_SIZE + Short.toUnsignedInt(header.getShort(26))
                    + Short.toUnsignedInt(header.getShort(28));
            if (dataOffset + entry.compressedSize() > entriesEnd) {
                throw new MalformedApkException("entry " + entry.name() + "'s data (" + entry.compressedSize() + " bytes at "
                        + dataOffset + ") runs past the entries");
            }
            entries.add(new ArchiveEntry(entry.name(), entry.method(), dataOffset, entry.compressedSize(), entry.uncompressedSize(),
                    entry.crc32()));
        }
        entries.sort(Comparator.comparingLong(ArchiveEntry::dataOffset));
        for (int i = 1; i < entries.size(); i++) {
            if (entries.get(i).dataOffset() < entries.get(i - 1).dataEnd()) {
                throw new MalformedApkException("entries " + entries.get(i - 1).name() + " and " + entries.get(i).name() + " overlap");
            }
        }
        return entries;
    }
}
