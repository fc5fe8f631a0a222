package dev.packline.packaging.zipdelta;

import static dev.packline.packaging.PackagingException.Problem.INVALID_ARGUMENT;
import static dev.packline.packaging.PackagingException.Problem.IO;

import dev.packline.apkpatch.ApkPatchException;
import dev.packline.apkpatch.DeflateRange;
import dev.packline.apkpatch.PatchHeader;
import dev.packline.apkpatch.PatchPlan;
import dev.packline.packaging.PackagingException;
import dev.packline.packaging.internal.apk.ApkLayout;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** Reads a zip-aware patch's header and plan and says what it holds, part by part, without applying it. */
public final class ZipDeltaExplainer {
    private ZipDeltaExplainer() {
    }

    /** What a patch holds. {@code recompressedBySettings}: entry counts per deflate setting. */
    public record Explanation(long oldBytes, String oldSha256, long newBytes, String newSha256, long deltaOldBytes,
            long deltaNewBytes, ZipDeltaReport.PartBytes parts, int oldEntriesInflated, int entriesRecompressed,
            long recompressedUncompressedBytes, long recompressedCompressedBytes, Map<String, Integer> recompressedBySettings) {
    }

    public static Explanation explain(Path patch) throws PackagingException {
        ApkLayout.requireReadable(patch);
        try {
            PatchHeader header;
            try (InputStream in = Files.newInputStream(patch)) {
                header = PatchHeader.read(in, Files.size(patch));
            }
            PatchPlan plan = PatchPlan.read(patch.toFile(), header);
            long uncompressed = 0;
            long compressed = 0;
            Map<String, Integer> bySettings = new TreeMap<>();
            for (DeflateRange range : plan.deflate()) {
                uncompressed += range.uncompressedLength();
                compressed += range.compressedLength();
                bySettings.merge(range.settings().toString(), 1, Integer::sum);
            }
            return new Explanation(header.oldSize(), HexFormat.of().formatHex(header.oldSha256()), header.newSize(),
                    HexFormat.of().formatHex(header.newSha256()), header.deltaOldSize(), header.deltaNewSize(),
                    new ZipDeltaReport.PartBytes(PatchHeader.LENGTH, header.sectionLength(0), header.sectionLength(1),
                            header.sectionLength(2), header.sectionLength(3)),
                    plan.inflate().size(), plan.deflate().size(), uncompressed, compressed, bySettings);
        } catch (ApkPatchException e) {
            throw new PackagingException(INVALID_ARGUMENT, patch + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new PackagingException(e instanceof org.tukaani.xz.XZIOException ? INVALID_ARGUMENT : IO,
                    "cannot read " + patch + ": " + e.getMessage(), e);
        }
    }
}
