package dev.packline.increments;

import java.nio.charset.Charset;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Lowercase hex SHA-256, the way every Packline format names files. */
final class Sha256 {
    static final Charset UTF_8 = Charset.forName("UTF-8");

    private Sha256() {
    }

    static String hex(byte[] bytes) {
        return hex(bytes, 0, bytes.length, true);
    }

    /** Hex of {@code bytes[from, from + length)}, hashed first when {@code digest} is true. */
    static String hex(byte[] bytes, int from, int length, boolean digest) {
        byte[] value = bytes;
        int start = from;
        int count = length;
        if (digest) {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                sha.update(bytes, from, length);
                value = sha.digest();
                start = 0;
                count = value.length;
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-256", e);
            }
        }
        StringBuilder hex = new StringBuilder(2 * count);
        for (int i = start; i < start + count; i++) {
            hex.append(Character.forDigit((value[i] >> 4) & 15, 16)).append(Character.forDigit(value[i] & 15, 16));
        }
        return hex.toString();
    }
}
