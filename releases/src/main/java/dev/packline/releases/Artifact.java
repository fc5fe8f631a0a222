package dev.packline.releases;

import dev.packline.pipeline.artifact.OfflineFacts;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One file a client downloads: where it is, how big, and its hashes. Clients compare a "sign" with
 * what they have installed; both hashes are accepted as the sign, MD5 because existing clients send
 * it, SHA-256 because it is what Packline records.
 *
 * @param object  the store object it came from ({@code store://NAME/KEY}), for operators; may be null
 * @param url     the download URL clients get
 * @param md5     lower-case hex MD5, or null when unknown (packaging records SHA-256 only)
 * @param offline an offline package's manifest facts (id, role, loading strategy, the common
 *                package it needs), served with it; null for other files
 */
public record Artifact(String object, String url, long size, String sha256, String md5, OfflineFacts offline) {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern MD5 = Pattern.compile("[0-9a-f]{32}");

    public Artifact {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(sha256, "sha256");
        sha256 = sha256.toLowerCase(Locale.ROOT);
        md5 = md5 == null ? null : md5.toLowerCase(Locale.ROOT);
    }

    public Artifact(String object, String url, long size, String sha256, String md5) {
        this(object, url, size, sha256, md5, null);
    }

    /** The sign clients are told: the MD5 when known (what most existing clients compare), else the SHA-256. */
    public String sign() {
        return md5 != null ? md5 : sha256;
    }

    /** Whether a client's sign (either hash) names this file. */
    public boolean matches(String sign) {
        return sign != null && (sign.equalsIgnoreCase(sha256) || (md5 != null && sign.equalsIgnoreCase(md5)));
    }

    /** What is wrong with it, or null. */
    public String problem() {
        if (!(url.startsWith("https://") || url.startsWith("http://"))) {
            return "url must be an http(s) URL";
        }
        if (size <= 0) {
            return "size must be positive";
        }
        if (!SHA256.matcher(sha256).matches()) {
            return "sha256 must be 64 hex digits";
        }
        if (md5 != null && !MD5.matcher(md5).matches()) {
            return "md5 must be 32 hex digits";
        }
        return null;
    }

    /** Whether a client sign is shaped like one of the two hashes. */
    public static boolean wellFormedSign(String sign) {
        String lower = sign.toLowerCase(Locale.ROOT);
        return SHA256.matcher(lower).matches() || MD5.matcher(lower).matches();
    }
}
