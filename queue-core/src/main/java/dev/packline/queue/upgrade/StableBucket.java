package dev.packline.queue.upgrade;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A stable share of keys: the bucket of a key under a salt (a route's or a shadow run's name) is
 * the SHA-256 of both, taken modulo 10,000, so the same key always falls in the same bucket, a
 * share that grows only adds keys, and different salts pick different keys (not a biased digit
 * mapping of the key's letters).
 */
final class StableBucket {
    /** Basis points of a whole: a share of 10,000 takes every key. */
    static final int ALL = 10_000;

    private StableBucket() {
    }

    /** The key's bucket under this salt, 0 to 9999. */
    static int of(String salt, String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((salt + ":" + key).getBytes(StandardCharsets.UTF_8));
            long high = 0;
            for (int i = 0; i < 8; i++) {
                high = (high << 8) | (digest[i] & 0xff);
            }
            return (int) Long.remainderUnsigned(high, ALL);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Whether the key falls within a share (basis points) under this salt. */
    static boolean within(String salt, String key, int share) {
        return of(salt, key) < share;
    }
}
