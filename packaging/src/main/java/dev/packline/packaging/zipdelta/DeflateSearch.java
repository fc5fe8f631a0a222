package dev.packline.packaging.zipdelta;

import dev.packline.apkpatch.DeflateSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.Deflater;

/**
 * Finds the zlib settings that turn an entry's uncompressed bytes back into exactly its
 * compressed bytes, trying every level (0 to 9) and strategy {@link Deflater} offers, raw and
 * zlib-wrapped, most common first (level 6 and 9, raw: what ZipOutputStream, aapt and apksig
 * use). Each try stops at the first output byte that differs, so a wrong guess costs about one
 * deflate block, not the whole entry.
 */
final class DeflateSearch {
    private static final int CHUNK = 1 << 16;
    private static final List<DeflateSettings> CANDIDATES = candidates();

    private final byte[] output = new byte[CHUNK];
    private int tries;

    /** The settings reproducing {@code compressed} from {@code uncompressed}, if zlib can. */
    Optional<DeflateSettings> find(byte[] uncompressed, byte[] compressed) {
        for (DeflateSettings settings : CANDIDATES) {
            tries++;
            if (reproduces(settings, uncompressed, compressed)) {
                return Optional.of(settings);
            }
        }
        return Optional.empty();
    }

    /** How many settings were tried so far (for the report). */
    int tries() {
        return tries;
    }

    private boolean reproduces(DeflateSettings settings, byte[] uncompressed, byte[] compressed) {
        Deflater deflater = settings.newDeflater();
        try {
            int produced = 0;
            int fed = 0;
            while (!deflater.finished()) {
                if (deflater.needsInput() && fed < uncompressed.length) {
                    int take = Math.min(CHUNK, uncompressed.length - fed);
                    deflater.setInput(uncompressed, fed, take);
                    fed += take;
                }
                if (fed == uncompressed.length && deflater.needsInput()) {
                    deflater.finish();
                }
                int count = deflater.deflate(output, 0, CHUNK, Deflater.NO_FLUSH);
                if (produced + count > compressed.length
                        || !Arrays.equals(output, 0, count, compressed, produced, produced + count)) {
                    return false;
                }
                produced += count;
            }
            return produced == compressed.length;
        } finally {
            deflater.end();
        }
    }

    private static List<DeflateSettings> candidates() {
        List<DeflateSettings> list = new ArrayList<>();
        for (boolean nowrap : new boolean[] {true, false}) {
            for (int strategy : new int[] {Deflater.DEFAULT_STRATEGY, Deflater.FILTERED, Deflater.HUFFMAN_ONLY}) {
                for (int level : new int[] {6, 9, 1, 2, 3, 4, 5, 7, 8, 0}) {
                    list.add(new DeflateSettings(level, strategy, nowrap));
                }
            }
        }
        return List.copyOf(list);
    }
}
