package dev.packline.apkpatch;

/**
 * Why a patch could not be applied. The message names the problem in the caller's terms; {@link
 * #failure()} says which kind it is, so a client can decide between "download the full APK" (every
 * kind) and "try again later" ({@link Failure#IO} only).
 */
public final class ApkPatchException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The kinds of failure. */
    public enum Failure {
        /** The file is not a zip-aware patch, or it is damaged (bad magic, lying sizes, broken LZMA). */
        CORRUPT_PATCH,
        /** The patch was made for another old APK (its size or SHA-256 differ). */
        WRONG_BASE,
        /** An entry recompressed to other bytes than the patch expects: this device's zlib differs. */
        RECOMPRESSION_MISMATCH,
        /** The result's size or SHA-256 is not the one the patch promises. */
        RESULT_MISMATCH,
        /** Reading or writing a file failed. */
        IO
    }

    private final Failure failure;

    public ApkPatchException(Failure failure, String message) {
        this(failure, message, null);
    }

    public ApkPatchException(Failure failure, String message, Throwable cause) {
        super(message, cause);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
