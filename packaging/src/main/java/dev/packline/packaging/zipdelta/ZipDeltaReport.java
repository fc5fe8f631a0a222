package dev.packline.packaging.zipdelta;

/**
 * What making a zip-aware patch measured: sizes of the inputs, of the delta-friendly files and of
 * each part of the patch; how the new APK's entries were handled; and the time of each step.
 */
public record ZipDeltaReport(long oldBytes, long newBytes, long patchBytes, String oldSha256, String newSha256,
        long deltaOldBytes, long deltaNewBytes, PartBytes parts, Entries entries, Millis millis) {

    /** Compressed bytes of each part of the patch file. */
    public record PartBytes(long header, long plan, long control, long diff, long extra) {
    }

    /**
     * New entries: all, deflated, deflated and identical to the old namesake (left compressed),
     * recompressed on apply, not reproducible by zlib (left compressed; the first few names), and how
     * many deflate settings were tried in all.
     */
    public record Entries(int total, int deflated, int unchanged, int recompressed, int notReproducible,
            java.util.List<String> notReproducibleNames, int oldInflated, int settingsTried) {
    }

    /** Planning (reading entries, finding deflate settings), building the delta-friendly files, bsdiff with LZMA, the check by applying. */
    public record Millis(long plan, long deltaFiles, long diff, long verify) {
    }
}
