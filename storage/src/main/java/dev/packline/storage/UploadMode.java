package dev.packline.storage;

import java.util.Locale;

/** How an object reached the store; the {@code mode} label of {@code packline_upload_seconds}. */
public enum UploadMode {
    /** One request with the whole content. */
    PLAIN,
    /** Parts uploaded concurrently (and resumably) from a local file. */
    MULTIPART,
    /** Leading parts copied server-side from an object the store already holds, only the tail sent. */
    PART_COPY;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
