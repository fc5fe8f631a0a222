package dev.packline.packaging;

import java.nio.file.Path;

/** A channel APK that was written and verified; {@code verification} says how (docs/packaging.md). */
public record WrittenChannel(Channel channel, Path file, long bytes, String sha256, ChannelFormat format,
        Verification verification) {

    /** How a written channel APK was shown to verify. */
    public enum Verification {
        /** apksig verified this very file (the first channel of each mother, and every v1-only APK). */
        APKSIG,
        /** Structurally identical, outside the channel pairs, to a channel APK of the same mother that apksig verified. */
        SAME_AS_VERIFIED,
        /**
         * ZIP64: apksig and Android do not read ZIP64 APKs' v2+ signatures, so only the structure was
         * checked: every signed byte, signature pair and record is the mother's.
         */
        STRUCTURAL_ZIP64;

        public String label() {
            return switch (this) {
                case APKSIG -> "apksig";
                case SAME_AS_VERIFIED -> "same-as-verified";
                case STRUCTURAL_ZIP64 -> "structural-zip64";
            };
        }
    }
}
