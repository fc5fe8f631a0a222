package dev.packline.releases;

import dev.packline.queue.TestRedis;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Builders for test releases: real-looking artifacts whose hashes are derived from a name, and app ids no other test uses. */
public final class TestReleases {
    private static final AtomicInteger APPS = new AtomicInteger();

    private TestReleases() {
    }

    public static String uniqueApp(String prefix) {
        return TestRedis.uniqueQueue("app-" + prefix);
    }

    /** An artifact for {@code name}: its SHA-256 and MD5 are hashes of the name, so each name has its own sign. */
    public static Artifact artifact(String name) {
        return new Artifact("store://local/" + name, "https://cdn.example.com/" + name, 1000 + name.length(), hex(name, "SHA-256"),
                hex(name, "MD5"));
    }

    public static String sha256(String name) {
        return hex(name, "SHA-256");
    }

    public static String md5(String name) {
        return hex(name, "MD5");
    }

    /** An APK release with one artifact per channel named {@code VERSION-CHANNEL.apk}. */
    public static NewRelease apk(String app, String deployment, String version, String clientVersions, List<String> channels) {
        Map<String, Artifact> artifacts = new LinkedHashMap<>();
        for (String channel : channels) {
            artifacts.put(channel, artifact(app + "-" + version + "-" + channel + ".apk"));
        }
        return new NewRelease(app, deployment, "android", ReleaseKind.APK, version, clientVersions, artifacts, List.of(), false,
                "notes for " + version, List.of(), null);
    }

    /** A bundle release (one file for every channel). */
    public static NewRelease bundle(String app, String deployment, String version, String clientVersions) {
        return new NewRelease(app, deployment, "android", ReleaseKind.BUNDLE, version, clientVersions,
                Map.of(Release.ANY_CHANNEL, artifact(app + "-" + version + ".bundle")), List.of(), false, null, List.of(), null);
    }

    private static String hex(String name, String algorithm) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance(algorithm)
                    .digest(name.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static int nextApp() {
        return APPS.incrementAndGet();
    }
}
