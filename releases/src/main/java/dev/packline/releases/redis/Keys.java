package dev.packline.releases.redis;

/**
 * Every Redis key and channel name of the release catalogue. The catalogue (apps, releases, audit
 * lists, the version counters) shares one hash tag, {@code {rel}}: each change is one script that
 * bumps the catalogue version in the same slot, so it runs unchanged on Redis Cluster; the catalogue
 * is small and read from memory by the check route, so one slot holds it. Install reports are the
 * heavy write traffic and get a slot per release ({@code {relrep:ID}}).
 */
public final class Keys {
    /** The pub/sub channel every change is announced on ({@code "VERSION APP"}); channels are not keys, so no hash tag. */
    public static final String CHANGES = "pl:releases:changes";
    private static final String PREFIX = "pl:{rel}:";

    private Keys() {
    }

    /** string: the catalogue version, bumped by every change. */
    public static String version() {
        return PREFIX + "version";
    }

    /** string: the last release id handed out. */
    public static String releaseIds() {
        return PREFIX + "release-ids";
    }

    /** hash: app id → app JSON (owner, deployments and their keys). */
    public static String apps() {
        return PREFIX + "apps";
    }

    /** hash: deployment key → {@code APP/DEPLOYMENT}; a key is never reused. */
    public static String deploymentKeys() {
        return PREFIX + "deployment-keys";
    }

    /** hash: app id → the catalogue version of its last change, so a snapshot reloads only the apps that changed. */
    public static String appVersions() {
        return PREFIX + "app-versions";
    }

    /** hash: release id → release JSON, for one app. */
    public static String releases(String app) {
        return PREFIX + "releases:" + app;
    }

    /** list: the app's audit entries (JSON), newest first; kept for good. */
    public static String audit(String app) {
        return PREFIX + "audit:" + app;
    }

    /** hash: install report counters of one release (event → count, {@code failed:REASON} → count). */
    public static String reports(long release) {
        return "pl:{relrep:" + release + "}:counts";
    }

    /** HyperLogLog: the distinct clients that reported {@code event} for one release. */
    public static String reportClients(long release, String event) {
        return "pl:{relrep:" + release + "}:clients:" + event;
    }
}
