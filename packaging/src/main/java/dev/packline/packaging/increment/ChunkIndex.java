package dev.packline.packaging.increment;

import java.util.Arrays;

/**
 * The old file's chunks, found by weak checksum and confirmed by a strong hash: for each whole
 * chunk its weak checksum ({@link RollingChecksum}), a 128-bit strong hash of its UTF-16 code units, and a link to the
 * next chunk in the same hash bucket. Not thread-safe: one index per make. That is 32 bytes per chunk (about 2.7 bytes per
 * character at 12-character chunks); the old text itself is not kept. The final partial chunk is not
 * indexed (it is never referenced by the maker).
 */
final class ChunkIndex {
    private static final int NONE = -1;

    private final int chunkSize;
    private int count;
    private long[] weak;
    private long[] strong;
    private int[] next;
    private int[] buckets;
    /** One bit per hash value slice, set for every indexed chunk: most misses end here, in a small array that stays in cache. */
    private long[] filter;
    private final long[] scratch = new long[2];
    private final RollingChecksum checksum;

    /** {@code expectedChunks}: how many chunks will be added at most (the old file's bytes over the chunk size; fewer is fine). */
    ChunkIndex(int chunkSize, long expectedChunks) {
        this.chunkSize = chunkSize;
        int capacity = (int) Math.clamp(expectedChunks + 1, 16, Integer.MAX_VALUE / 4);
        this.weak = new long[capacity];
        this.strong = new long[2 * capacity];
        this.next = new int[capacity];
        this.checksum = new RollingChecksum(chunkSize);
    }

    /** Adds the next whole chunk of the old file, {@code text[from, from + chunkSize)}. */
    void add(char[] text, int from) {
        if (count == weak.length) {
            weak = Arrays.copyOf(weak, count * 2);
            next = Arrays.copyOf(next, count * 2);
            strong = Arrays.copyOf(strong, count * 4);
        }
        checksum.reset(text, from);
        weak[count] = checksum.value();
        strongHash(text, from, strong, 2 * count);
        count++;
    }

    /** Builds the hash buckets once every chunk is added. */
    void seal() {
        int size = Integer.highestOneBit(Math.max(16, count * 2 - 1)) << 1;
        buckets = new int[size];
        Arrays.fill(buckets, NONE);
        filter = new long[Math.max(1, size * 4 / 64)];
        for (int chunk = 0; chunk < count; chunk++) {
            int bit = filterBit(weak[chunk]);
            filter[bit >>> 6] |= 1L << bit;
        }
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
        return 8L * weak.length + 4L * next.length + 8L * strong.length + (buckets == null ? 0 : 4L * buckets.length + 8L * filter.length);
    }

    /**
     * Whether {@code text[from, from + chunkSize)} is chunk {@code chunk} (by its strong hash): the
     * scan asks this first after a match, since the next chunk of a run is the usual next match, and
     * skips the weak checksum then. A chunk whose strong hash matches also has the same weak checksum,
     * so this answers as {@link #find} would for a preferred chunk.
     */
    boolean continues(int chunk, char[] text, int from) {
        if (chunk < 0 || chunk >= count) {
            return false;
        }
        strongHash(text, from, scratch, 0);
        return strong[2 * chunk] == scratch[0] && strong[2 * chunk + 1] == scratch[1];
    }

    /**
     * The chunk whose text equals {@code text[from, from + chunkSize)} (whose weak checksum is
     * {@code weakValue}), preferring {@code preferred} so runs continue; -1 when there is none.
     */
    int find(long weakValue, char[] text, int from, int preferred) {
        int bit = filterBit(weakValue);
        if ((filter[bit >>> 6] & (1L << bit)) == 0) {
            return NONE;
        }
        int chunk = buckets[bucket(weakValue)];
        long strong0 = 0;
        long strong1 = 0;
        boolean hashed = false;
        int found = NONE;
        long[] hash = scratch;
        if (preferred >= 0 && preferred < count && weak[preferred] == weakValue) {
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

    /**
     * A 128-bit hash of the chunk's code units: two 64-bit lanes, each unit mixed in with a
     * multiply and rotate and each lane finished with MurmurHash3's fmix64. Like rsync 3.2's xxh128,
     * it is not cryptographic: it only has to make a false match between a weak hit and a chunk
     * astronomically unlikely, and the applier's SHA-256 check of the result catches one anyway.
     */
    private void strongHash(char[] text, int from, long[] into, int at) {
        long first = 0x9E3779B97F4A7C15L ^ chunkSize;
        long second = 0xC2B2AE3D27D4EB4FL;
        for (int i = 0; i < chunkSize; i++) {
            long unit = text[from + i];
            first = Long.rotateLeft((first ^ unit) * 0x87C37B91114253D5L, 31);
            second = Long.rotateLeft((second + unit) * 0x4CF5AD432745937FL, 27) ^ first;
        }
        into[at] = mix(first);
        into[at + 1] = mix(second ^ first);
    }

    private static long mix(long value) {
        long k = value;
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    private int filterBit(long weakValue) {
        return (int) (weakValue >>> 40) & (filter.length * 64 - 1);
    }

    private int bucket(long weakValue) {
        long mixed = weakValue * 0xD6E8FEB86659FD93L;
        return (int) (mixed >>> 32 ^ mixed) & (buckets.length - 1);
    }
}
