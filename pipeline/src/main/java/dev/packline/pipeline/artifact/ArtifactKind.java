package dev.packline.pipeline.artifact;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What kind of file an artifact is, which decides how it is checked and which increment formats
 * are made for it: an APK (made by packaging requests), a JS bundle (UTF-8 text) or an offline
 * package (a zip with a manifest). Bundles and offline packages are submitted as they are.
 */
public enum ArtifactKind {
    APK, BUNDLE, OFFLINE;

    /** Its name in JSON and URLs: {@code apk}, {@code bundle}, {@code offline}. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The file name extension its stored objects get. */
    public String extension() {
        return switch (this) {
            case APK -> ".apk";
            case BUNDLE -> ".js";
            case OFFLINE -> ".zip";
        };
    }

    /** For JSON: the value of its wire name, or an error naming the ones there are. */
    @JsonCreator
    public static ArtifactKind fromJson(String name) {
        return byWireName(name).orElseThrow(() -> new IllegalArgumentException("unknown kind '" + name + "'; known: "
                + Arrays.stream(values()).map(ArtifactKind::wireName).toList()));
    }

    public static Optional<ArtifactKind> byWireName(String name) {
        return Arrays.stream(values()).filter(k -> k.wireName().equals(name)).findFirst();
    }
}
