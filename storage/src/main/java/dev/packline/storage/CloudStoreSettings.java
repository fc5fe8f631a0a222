package dev.packline.storage;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One configured cloud store (several of each kind are allowed: per region, per publisher).
 * {@code endpoint} is a URL ({@code https://oss-cn-hangzhou.aliyuncs.com}, {@code http://127.0.0.1:9000});
 * {@code prefix} is prepended to every key. The secret never appears in {@link #toString()}.
 */
public record CloudStoreSettings(String name, Kind kind, URI endpoint, String bucket, String prefix, Credentials credentials,
                                 boolean pathStyle, long partSize, long multipartThreshold, long copyPartSize, int concurrency,
                                 Duration requestTimeout, Duration connectTimeout, int maxAttempts, String publicBaseUrl) {

    public enum Kind {
        OSS, KS3;

        public static Kind parse(String text) {
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "oss" -> OSS;
                case "ks3" -> KS3;
                default -> throw new IllegalArgumentException("store kind must be local, oss or ks3, got '" + text + "'");
            };
        }
    }

    /** Access key id and secret; {@link #toString()} shows the id's first characters only. */
    public record Credentials(String accessKeyId, String accessKeySecret) {
        @Override
        public String toString() {
            String id = accessKeyId == null ? "" : accessKeyId;
            return "Credentials[" + id.substring(0, Math.min(4, id.length())) + "…, secret redacted]";
        }
    }

    public static final long MIB = 1024L * 1024;

    /** Every problem with the settings, in one message; empty when they are usable. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        String at = "store " + name + ": ";
        if (endpoint == null || endpoint.getScheme() == null || endpoint.getHost() == null
                || !(endpoint.getScheme().equals("http") || endpoint.getScheme().equals("https"))) {
            problems.add(at + "endpoint must be an http(s) URL with a host, got '" + endpoint + "'");
        }
        if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            problems.add(at + "bucket must be 3 to 63 lowercase letters, digits, '.' or '-', got '" + bucket + "'");
        }
        if (credentials == null || credentials.accessKeyId() == null || credentials.accessKeyId().isBlank()
                || credentials.accessKeySecret() == null || credentials.accessKeySecret().isBlank()) {
            problems.add(at + "credentials are missing (set the environment variables or the file the configuration names)");
        }
        if (partSize < 5 * MIB || partSize > 5 * 1024 * MIB) {
            problems.add(at + "partSize must be between 5 MiB and 5 GiB (both providers' part rules), got " + partSize);
        }
        if (copyPartSize < 5 * MIB || copyPartSize > 5 * 1024 * MIB) {
            problems.add(at + "copyPartSize must be between 5 MiB and 5 GiB, got " + copyPartSize);
        }
        if (multipartThreshold < partSize) {
            problems.add(at + "multipartThreshold (" + multipartThreshold + ") must be at least partSize (" + partSize + ")");
        }
        if (concurrency < 1 || concurrency > 256) {
            problems.add(at + "concurrency must be between 1 and 256, got " + concurrency);
        }
        if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()
                || connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
            problems.add(at + "requestTimeout and connectTimeout must be positive (a request without a timeout can block forever)");
        }
        if (maxAttempts < 1 || maxAttempts > 20) {
            problems.add(at + "maxAttempts must be between 1 and 20, got " + maxAttempts);
        }
        return problems;
    }
}
