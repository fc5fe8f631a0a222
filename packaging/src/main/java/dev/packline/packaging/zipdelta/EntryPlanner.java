package dev.packline.packaging.zipdelta;

import dev.packline.apkpatch.DeflateRange;
import dev.packline.apkpatch.DeflateSettings;
import dev.packline.apkpatch.InflateRange;
import dev.packline.packaging.internal.zip.ZipSections;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decides which entries the delta-friendly files hold uncompressed. A deflated new entry whose
 * bytes equal the old entry of the same name stays compressed (bsdiff matches it as is). Any other
 * deflated new entry is inflated when zlib reproduces its exact bytes ({@link DeflateSearch});
 * otherwise it stays compressed and travels as bsdiff data. An old entry is inflated when its new
 * namesake is held uncompressed (inflated or stored), so both sides are compared in the same
 * space; old entries never need to be reproducible, since the applier only inflates them.
 * Memory: one old and one new entry, inflated, at a time.
 */
final class EntryPlanner {
    private static final int NAMES_REPORTED = 20;

    private final DeflateSearch search = new DeflateSearch();

    EntryPlan plan(List<ArchiveEntry> oldEntries, FileChannel oldFile, List<ArchiveEntry> newEntries, FileChannel newFile)
            throws IOException {
        Map<String, ArchiveEntry> oldByName = new HashMap<>();
        for (ArchiveEntry entry : oldEntries) {
            oldByName.put(entry.name(), entry);
        }
        Map<String, InflateRange> oldInflate = new HashMap<>();
        List<InflateRange> newInflate = new ArrayList<>();
        List<DeflateRange> deflate = new ArrayList<>();
        int deflated = 0;
        int unchanged = 0;
        List<String> notReproducible = new ArrayList<>();
        long shift = 0;
        for (ArchiveEntry entry : newEntries) {
            ArchiveEntry old = oldByName.get(entry.name());
            boolean uncompressedInNew = entry.method() == ArchiveEntry.STORED;
            if (entry.deflated()) {
                deflated++;
                byte[] compressed = bytes(newFile, entry);
                if (old != null && old.deflated() && old.crc32() == entry.crc32() && Arrays.equals(compressed, bytes(oldFile, old))) {
                    unchanged++;
                    continue;
                }
                byte[] uncompressed = compressed == null ? null : inflate(compressed, entry);
                Optional<DeflateSettings> settings = uncompressed == null ? Optional.empty() : search.find(uncompressed, compressed);
                if (settings.isEmpty()) {
                    notReproducible.add(entry.name());
                    continue;
                }
                CRC32 crc = new CRC32();
                crc.update(compressed);
                newInflate.add(new InflateRange(entry.name(), entry.dataOffset(), entry.compressedSize(), uncompressed.length));
                deflate.add(new DeflateRange(entry.name(), entry.dataOffset() + shift, uncompressed.length, compressed.length,
                        (int) crc.getValue(), settings.get()));
                shift += uncompressed.length - compressed.length;
                uncompressedInNew = true;
            }
            if (uncompressedInNew && old != null && old.deflated() && !oldInflate.containsKey(old.name())) {
                byte[] oldCompressed = bytes(oldFile, old);
                if (oldCompressed != null && inflate(oldCompressed, old) != null) {
                    oldInflate.put(old.name(), new InflateRange(old.name(), old.dataOffset(), old.compressedSize(), old.uncompressedSize()));
                }
            }
        }
        List<InflateRange> oldRanges = new ArrayList<>(oldInflate.values());
        oldRanges.sort((a, b) -> Long.compare(a.offset(), b.offset()));
        EntryPlan.Counts counts = new EntryPlan.Counts(newEntries.size(), deflated, unchanged, deflate.size(), notReproducible.size(),
                search.tries(), List.copyOf(notReproducible.subList(0, Math.min(NAMES_REPORTED, notReproducible.size()))));
        return new EntryPlan(oldRanges, newInflate, deflate, counts);
    }

    /** The entry's compressed bytes, or null when it is too large to hold in one array (it then stays compressed). */
    private static byte[] bytes(FileChannel file, ArchiveEntry entry) throws IOException {
        if (entry.compressedSize() > Integer.MAX_VALUE - 64 || entry.uncompressedSize() > Integer.MAX_VALUE - 64) {
            return null;
        }
        return ZipSections.read(file, entry.dataOffset(), (int) entry.compressedSize()).array();
    }

    /** The inflated bytes when they inflate cleanly to the declared size and CRC, else null. */
    private static byte[] inflate(byte[] compressed, ArchiveEntry entry) {
        Inflater inflater = new Inflater(true);
        try {
            byte[] out = new byte[(int) entry.uncompressedSize()];
            inflater.setInput(compressed);
            int produced = 0;
            while (produced < out.length && !inflater.finished()) {
                int count = inflater.inflate(out, produced, out.length - produced);
                if (count == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return null;
                }
                produced += count;
            }
            if (produced != out.length || inflater.getRemaining() != 0 || !finishesAfter(inflater)) {
                return null;
            }
            CRC32 crc = new CRC32();
            crc.update(out);
            return crc.getValue() == entry.crc32() ? out : null;
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }

    /** True when the stream ends exactly here (an empty inflate call may be needed to see the end block). */
    private static boolean finishesAfter(Inflater inflater) throws DataFormatException {
        if (!inflater.finished() && inflater.inflate(new byte[1]) != 0) {
            return false;
        }
        return inflater.finished() && inflater.getRemaining() == 0;
    }
}
