package dev.packline.packaging.increment;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The old file's chunks, found by weak checksum and confirmed by a strong hash: for each whole
 * chunk its rsync weak checksum, the first 128 bits of the SHA-256 of its UTF-16 code units, and a
 * link to the next chunk in the same hash bucket. That is 28 bytes per chunk (about 2.3 bytes per
 * character at 12-character chunks); the old text itself is not kept. The final partial chunk is not
 * indexed (it is never referenced by the maker).
 */
final class ChunkIndex {
    private static final int NONE = -1;

    private final int chunkSize;
    private int count;
    private int[] weak = new int[1024];
    private long[] strong = new long[2048];
    private int[] next = new int[1024];
    private int[] buckets;
    private final MessageDigest sha256;
    private final byte[] unitBytes;

    ChunkIndex(int chunkSize) {
        this.chunkSize = chunkSize;
        this.unitBytes = new byte[2 * chunkSize];
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Adds the next whole chunk of the old file, {@code text[from, from + chunkSize)}. */
    void add(char[] text, int from) {
        if (count == weak.length) {
            weak = Arrays.copyOf(weak, count * 2);
            next = Arrays.copyOf(next, count * 2);
            strong = Arrays.copyOf(strong, count * 4);
        }
        weak[count] = RollingChecksum.of(text, from, chunkSize);
        strongHash(text, from, strong, 2 * count);
        count++;
    }

    /** Builds the hash buckets once every chunk is added. */
    void seal() {
        int size = Integer.highestOneBit(Math.max(16, count * 2 - 1)) << 1;
        buckets = new int[size];
        Arrays.fill(buckets, NONE);
        // Walk backwards so every chain lists its chunks in file order: the first match is the earliest chunk.
        for (int chunk = count - 1; chunk >= 0; chunk--) {
            int bucket = bucket(weak[chunk]);
            next[chunk] = buckets[bucket];
            buckets[bucket] = chunk;
        }
    }

    int count() {
        return count;
    }

    /** Heap held by the index, for the benchmark's memory figure. */
    long heapBytes() {
        return 4L * weak.length + 4L * next.length + 8L * strong.length + (buckets == null ? 0 : 4L * buckets.length);
    }

    /**
     * The chunk whose text equals {@code text[from, from + chunkSize)} (whose weak checksum is
     * {@code weakValue}), preferring {@code preferred} so runs continue; -1 when there is none.
     */
    int find(int weakValue, char[] text, int from, int preferred) {
        int chunk = buckets[bucket(weakValue)];
        long strong0 = 0;
        long strong1 = 0;
        boolean hashed = false;
        int found = NONE;
        if (preferred >= 0 && preferred < count && weak[preferred] == weakValue) {
            long[] hash = new long[2];
            strongHash(text, from, hash, 0);
            strong0 = hash[0];
            strong1 = hash[1];
            hashed = true;
            if (strong[2 * preferred] == strong0 && strong[2 * preferred + 1] == strong1) {
                return preferred;
            }
        }
        for (; chunk != NONE; chunk = next[chunk]) {
            if (weak[chunk] != weakValue) {
                continue;
            }
            if (!hashed) {
                long[] hash = new long[2];
                strongHash(text, from, hash, 0);
                strong0 = hash[0];
                strong1 = hash[1];
                hashed = true;
            }
            if (strong[2 * chunk] == strong0 && strong[2 * chunk + 1] == strong1) {
                found = chunk;
                break;
            }
        }
        return found;
    }

    private void strongHash(char[] text, int from, long[] into, int at) {
        for (int i = 0; i < chunkSize; i++) {
            char unit = text[from + i];
            unitBytes[2 * i] = (byte) (unit >>> 8);
            unitBytes[2 * i + 1] = (byte) unit;
        }
        byte[] digest = sha256.digest(unitBytes);
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = (high << 8) | (digest[i] & 0xff);
            low = (low << 8) | (digest[8 + i] & 0xff);
        }
        into[at] = high;
        into[at + 1] = low;
    }

    private int bucket(int weakValue) {
        int mixed = weakValue * 0x9E3779B9;
        return (mixed ^ (mixed >>> 16)) & (buckets.length - 1);
    }
}
