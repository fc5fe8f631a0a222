package dev.packline.pipeline;

import java.util.Locale;

/**
 * The pipeline's stages, each a versioned queue of the same name. Job ids are deterministic, so a
 * redelivered job that enqueues its successor again adds nothing (enqueue is idempotent by id):
 * package and upload per channel, diff per (old mother, new mother) pair, notify once per request.
 */
public enum Stage {
    PACKAGE, UPLOAD, DIFF, NOTIFY;

    public String queueName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static String packageJobId(String requestId, int channel) {
        return "pkg:" + requestId + ":" + channel;
    }

    public static String uploadJobId(String requestId, int channel) {
        return "up:" + requestId + ":" + channel;
    }

    public static String diffJobId(String oldSha256, String newSha256) {
        return "diff:" + oldSha256 + ":" + newSha256;
    }

    /** The job that stores a submitted bundle or offline package (upload queue). */
    public static String artifactJobId(String submissionId) {
        return "art:" + submissionId;
    }

    /** The job that makes the increment of a format between two files (diff queue), whoever asks for it. */
    public static String incrementJobId(String format, String fromSha256, String toSha256) {
        return "inc:" + format + ":" + fromSha256 + ":" + toSha256;
    }

    public static String notifyJobId(String requestId) {
        return "notify:" + requestId;
    }
}
