package dev.packline.releases.rollout;

import java.nio.charset.StandardCharsets;

/**
 * A client's gray bucket for one release: MurmurHash3 (x86, 32 bit, seed 0) of
 * {@code salt + ":" + clientId} in UTF-8, as an unsigned number modulo 10,000. A client is in a
 * release's gray cohort when its bucket is below the percentage in basis points, so raising the
 * percentage only adds clients and lowering it only removes some; each release has its own salt, so
 * each leads with different clients. (Mapping an id's letters to digits and reading a percentage off
 * them, the common home-made scheme, piles clients into low buckets; murmur3's output is uniform.)
 */
public final class GrayBucket {
    public static final int BUCKETS = 10_000;
    private static final int C1 = 0xcc9e2d51;
    private static final int C2 = 0x1b873593;

    private GrayBucket() {
    }

    /** The bucket, 0 to 9,999. */
    public static int of(String salt, String clientId) {
        byte[] data = (salt + ":" + clientId).getBytes(StandardCharsets.UTF_8);
        return (int) (Integer.toUnsignedLong(murmur3(data)) % BUCKETS);
    }

    /** MurmurHash3_x86_32 with seed 0. */
    static int murmur3(byte[] data) {
        int h = 0;
        int blocks = data.length / 4;
        for (int i = 0; i < blocks; i++) {
            int at = i * 4;
            int k = (data[at] & 0xff) | (data[at + 1] & 0xff) << 8 | (data[at + 2] & 0xff) << 16 | (data[at + 3] & 0xff) << 24;
            h ^= mixK(k);
            h = Integer.rotateLeft(h, 13);
            h = h * 5 + 0xe6546b64;
        }
        int tail = blocks * 4;
        int k = 0;
        switch (data.length & 3) {
            case 3:
                k ^= (data[tail + 2] & 0xff) << 16;
            case 2:
                k ^= (data[tail + 1] & 0xff) << 8;
            case 1:
                k ^= data[tail] & 0xff;
                h ^= mixK(k);
            default:
        }
        h ^= data.length;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    private static int mixK(int k) {
        k *= C1;
        k = Integer.rotateLeft(k, 15);
        return k * C2;
    }
}
