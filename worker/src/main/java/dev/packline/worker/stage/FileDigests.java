package dev.packline.worker.stage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 and MD5 of a file in one read: Packline names files by SHA-256, and the update API
 * also answers the MD5 that existing clients compare as their "sign".
 */
record FileDigests(String sha256, String md5, long bytes) {

    static FileDigests of(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            byte[] buffer = new byte[1 << 16];
            long total = 0;
            for (int n; (n = in.read(buffer)) >= 0; ) {
                sha.update(buffer, 0, n);
                md5.update(buffer, 0, n);
                total += n;
            }
            return new FileDigests(HexFormat.of().formatHex(sha.digest()), HexFormat.of().formatHex(md5.digest()), total);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256 or MD5", e);
        }
    }
}
