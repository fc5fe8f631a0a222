package dev.packline.pipeline;

/**
 * Every Redis key of the pipeline's request state (ARCHITECTURE.md has the table of all keys).
 * A request's keys share the hash tag {@code {req:ID}}, so each request script touches one slot;
 * a patch's keys are per mother pair, shared by every request with that pair, each in its own slot.
 */
public final class Keys {
    private Keys() {
    }

    /** hash: the request's spec, state, counters and patch links. */
    public static String request(String requestId) {
        return "pl:{req:" + requestId + "}:request";
    }

    /** A SCAN pattern matching every request's record ({@link #request}). */
    public static final String REQUEST_PATTERN = request("*");

    /** The request id in a key of {@link #request}'s form; null for any other key. */
    public static String requestIdOf(String requestKey) {
        String head = "pl:{req:";
        String tail = "}:request";
        return requestKey.startsWith(head) && requestKey.endsWith(tail) && requestKey.length() > head.length() + tail.length()
                ? requestKey.substring(head.length(), requestKey.length() - tail.length()) : null;
    }

    /** zset: {@code ID|PUBLISHER|APP} -> creation time of every request still kept ({@link RequestIndex}); its own slot. */
    public static String requestIndex() {
        return "pl:requests";
    }

    /** hash: channel index -> JSON result. */
    public static String channels(String requestId) {
        return "pl:{req:" + requestId + "}:channels";
    }

    /** hash: {@code INDEX:STAGE} -> JSON progress of the channel's running stage job ({@link RunningChannels}). */
    public static String running(String requestId) {
        return "pl:{req:" + requestId + "}:running";
    }

    /** string: JSON record of the patch from one mother to another, once made. */
    public static String diff(String oldSha256, String newSha256) {
        return "pl:diff:" + oldSha256 + ":" + newSha256;
    }

    /** string: JSON error of the pair's dead-lettered diff job. */
    public static String diffFailure(String oldSha256, String newSha256) {
        return "pl:diff-failed:" + oldSha256 + ":" + newSha256;
    }

    /** set: the requests waiting for the pair's patch. */
    public static String diffWaiters(String oldSha256, String newSha256) {
        return "pl:diff-waiters:" + oldSha256 + ":" + newSha256;
    }

    /** hash: a submitted bundle or offline package: {@code spec}, {@code state}, {@code stored}, {@code increments}, {@code error}, times. */
    public static String artifact(String submissionId) {
        return "pl:{art:" + submissionId + "}:artifact";
    }

    /** hash: SHA-256 -> JSON of each stored version of one (app, kind, name); shares its tag with {@link #artifactHistory}. */
    public static String artifactVersions(String appId, String kind, String name) {
        return "pl:{arts:" + appId + ":" + kind + ":" + name + "}:versions";
    }

    /** zset: SHA-256 -> time stored, the versions of one (app, kind, name) in order. */
    public static String artifactHistory(String appId, String kind, String name) {
        return "pl:{arts:" + appId + ":" + kind + ":" + name + "}:history";
    }

    /** string: JSON of the increment of FORMAT from one file to another (SHA-256s), once made. */
    public static String increment(String format, String fromSha256, String toSha256) {
        return "pl:increment:" + format + ":" + fromSha256 + ":" + toSha256;
    }

    /** string: JSON error of the pair's dead-lettered increment job; expires, so a later ask may try again. */
    public static String incrementFailure(String format, String fromSha256, String toSha256) {
        return "pl:increment-failed:" + format + ":" + fromSha256 + ":" + toSha256;
    }
}
