package dev.packline.packaging;

import static dev.packline.packaging.PackagingException.Problem.IO;

import dev.packline.packaging.internal.apk.ApkLayout;
import dev.packline.packaging.internal.apk.ChannelPairs;
import dev.packline.packaging.internal.apk.SigningBlock;
import dev.packline.packaging.internal.apk.V1ChannelEntry;
import dev.packline.packaging.internal.io.FileRegions;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the channel of an APK (Walle, VasDolly or a v1 META-INF entry) and strips it again.
 * Stripping gives back the mother byte for byte when the mother's signing block was padded to
 * 4096 bytes the way apksig pads it (every apksigner and Android Gradle Plugin build does), which
 * is what lets a client patch its installed channel APK: strip, patch mother to mother, re-insert.
 * Stateless and thread-safe.
 */
public final class ChannelReader {
    private ChannelReader() {
    }

    /** The channel the APK carries, or empty when it carries none. */
    public static Optional<ChannelInfo> read(Path apk) throws PackagingException {
        ApkLayout layout = ApkLayout.read(apk);
        if (layout.signingBlock().isPresent()) {
            Optional<ChannelInfo> inBlock = ChannelPairs.decode(layout.signingBlock().get());
            if (inBlock.isPresent()) {
                return inBlock;
            }
        }
        return layout.v1ChannelEntry().map(entry -> new ChannelInfo(
                entry.name().substring(ApkLayout.V1_CHANNEL_PREFIX.length()), Map.of(), ChannelFormat.V1_ENTRY));
    }

    /** What {@link #strip} wrote: the file, its size and SHA-256, and the channel it removed (if any). */
    public record Stripped(Path file, long bytes, String sha256, Optional<ChannelInfo> removed) {
    }

    /**
     * Writes {@code apk} without its channel to {@code output}. For signing-block APKs: the same
     * entries, the block without the channel pairs (padding re-sized), the central directory moved
     * back. For v1 entries: the APK without the META-INF/channel_ entry. An APK without a channel
     * is copied in its canonical form (padded block), so strip(mother) is what strip(channel APK) gives.
     */
    public static Stripped strip(Path apk, Path output) throws PackagingException {
        ApkLayout layout = ApkLayout.read(apk);
        Optional<ChannelInfo> removed = read(apk);
        Path partial = null;
        try {
            partial = Files.createTempFile(output.toAbsolutePath().getParent(), ".packline-", ".partial");
            try (FileChannel source = FileChannel.open(apk, StandardOpenOption.READ);
                    FileChannel target = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                if (layout.signingBlock().isPresent()) {
                    SigningBlock block = layout.signingBlock().get().without(ChannelPairs.IDS);
                    byte[] blockBytes = block.encode();
                    byte[] centralDirectory = layout.tail().movedTo(block.offset() + blockBytes.length);
                    FileRegions.copy(source, 0, block.offset(), target, 0);
                    FileRegions.write(target, blockBytes, block.offset());
                    FileRegions.write(target, centralDirectory, block.offset() + blockBytes.length);
                } else {
                    FileRegions.copy(source, 0, source.size(), target, 0);
                }
            }
            if (layout.signingBlock().isEmpty() && layout.v1ChannelEntry().isPresent()) {
                V1ChannelEntry.remove(partial, layout.v1ChannelEntry().get().name());
            }
            Files.move(partial, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            try (FileChannel written = FileChannel.open(output, StandardOpenOption.READ)) {
                return new Stripped(output, written.size(), FileRegions.sha256(written), removed);
            }
        } catch (IOException e) {
            throw new PackagingException(IO, "cannot strip " + apk + " into " + output + ": " + e.getMessage(), e);
        } finally {
            if (partial != null) {
                try {
                    Files.deleteIfExists(partial);
                } catch (IOException ignored) {
                    // a leftover .partial file is harmless
                }
            }
        }
    }
}
