package dev.packline.pipeline.artifact;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The patch and increment formats Packline makes, each for one kind of artifact, by the names
 * clients declare and the packaging CLI's {@code --format} takes (docs/updates.md lists what each
 * client needs to apply them).
 */
public enum PatchFormat {
    /** Classic bsdiff of the whole APK (Debian's bspatch applies it). */
    BSDIFF("bsdiff", ArtifactKind.APK),
    /** Zip-aware APK patch: entries diffed uncompressed, recompressed on the device (clients/java-apkpatch). */
    ZIP_AWARE("zip-aware", ArtifactKind.APK),
    /** Chunk increment of a text bundle: JSON of literals and [first, count] chunk runs. */
    CHUNK("chunk", ArtifactKind.BUNDLE),
    /** bsdiff with gzip blocks, appliable in plain JavaScript (DecompressionStream). */
    BSDIFF_GZ("bsdiff-gz", ArtifactKind.BUNDLE),
    /** Per-file patch of an offline package. */
    OFFLINE_PATCH("offline-patch", ArtifactKind.OFFLINE);

    private final String wireName;
    private final ArtifactKind kind;

    PatchFormat(String wireName, ArtifactKind kind) {
        this.wireName = wireName;
        this.kind = kind;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** The kind of artifact the format joins two versions of. */
    public ArtifactKind kind() {
        return kind;
    }

    /** The file name extension of a stored patch of this format. */
    public String extension() {
        return switch (this) {
            case BSDIFF -> ".bsdiff";
            case ZIP_AWARE -> ".zipdelta";
            case CHUNK -> ".chunk.json";
            case BSDIFF_GZ -> ".bsdiffgz";
            case OFFLINE_PATCH -> ".offpatch.zip";
        };
    }

    /** The formats made for a kind of artifact, in the order they are tried. */
    public static List<PatchFormat> forKind(ArtifactKind kind) {
        return Arrays.stream(values()).filter(f -> f.kind == kind).toList();
    }

    /** For JSON: the value of its wire name, or an error naming the ones there are. */
    @JsonCreator
    public static PatchFormat fromJson(String name) {
        return byWireName(name).orElseThrow(() -> new IllegalArgumentException("unknown format '" + name + "'; known: "
                + Arrays.stream(values()).map(PatchFormat::wireName).toList()));
    }

    public static Optional<PatchFormat> byWireName(String name) {
        return Arrays.stream(values()).filter(f -> f.wireName.equals(name)).findFirst();
    }
}
