package dev.packline.packaging.zipdelta;

import static dev.packline.packaging.PackagingException.Problem.INVALID_ARGUMENT;
import static dev.packline.packaging.PackagingException.Problem.IO;
import static dev.packline.packaging.PackagingException.Problem.VERIFICATION_FAILED;

import dev.packline.apkpatch.ApkPatchApplier;
import dev.packline.apkpatch.ApkPatchException;
import dev.packline.apkpatch.AppliedPatch;
import dev.packline.apkpatch.PatchHeader;
import dev.packline.packaging.PackagingException;
import dev.packline.packaging.internal.apk.ApkLayout;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The client applier (module java-apkpatch) as the packaging library and its commands use it: its
 * failures become {@link PackagingException}s with the CLI's exit codes (a corrupt patch or a
 * patch for another base is an invalid argument; an entry or a result that does not come out
 * exactly is a failed verification).
 */
public final class ZipDeltaApplier {
    private ZipDeltaApplier() {
    }

    /** Whether {@code patch} is a zip-aware patch rather than a bsdiff one (by its magic). */
    public static boolean isZipAware(Path patch) throws PackagingException {
        ApkLayout.requireReadable(patch);
        try {
            return PatchHeader.isZipAwarePatch(patch.toFile());
        } catch (IOException e) {
            throw new PackagingException(IO, "cannot read " + patch + ": " + e.getMessage(), e);
        }
    }

    public static AppliedPatch apply(Path oldApk, Path patch, Path newApk) throws PackagingException {
        ApkLayout.requireReadable(oldApk);
        ApkLayout.requireReadable(patch);
        try {
            return new ApkPatchApplier().apply(oldApk.toFile(), patch.toFile(), newApk.toFile());
        } catch (ApkPatchException e) {
            throw new PackagingException(switch (e.failure()) {
                case CORRUPT_PATCH, WRONG_BASE -> INVALID_ARGUMENT;
                case RECOMPRESSION_MISMATCH, RESULT_MISMATCH -> VERIFICATION_FAILED;
                case IO -> IO;
            }, e.getMessage(), e);
        }
    }
}
