package dev.packline.packaging.internal.apk;

import static dev.packline.packaging.PackagingException.Problem.VERIFICATION_FAILED;

import dev.packline.packaging.Channel;
import dev.packline.packaging.ChannelInfo;
import dev.packline.packaging.PackagingException;
import dev.packline.packaging.internal.zip.ZipSections;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Checks, from the bytes on disk, that a written channel APK differs from its mother only where a
 * channel write may differ: the channel pairs and the padding inside the signing block, and the
 * central-directory offset fields of the end records. Everything the v2/v3 signatures digest
 * (entries, central directory, end record with the offset normalised to the block start) and every
 * signature pair is then the mother's, byte for byte; docs/packaging.md explains why that makes
 * apksig's verdict on one channel APK of the mother hold for all of them.
 */
public final class StructuralCheck {
    private StructuralCheck() {
    }

    public static void verify(Path file, FileChannel written, ApkLayout mother, Channel channel, byte[] expectedTail)
            throws PackagingException, IOException {
        long prefix = mother.prefixLength();
        if (written.size() != prefix + expectedTail.length) {
            throw failed(file, "it is " + written.size() + " bytes, expected " + (prefix + expectedTail.length));
        }
        ByteBuffer onDisk = ZipSections.read(written, prefix, expectedTail.length);
        if (!Arrays.equals(onDisk.array(), expectedTail)) {
            throw failed(file, "the bytes after the mother's entries are not the tail that was written");
        }
        ApkLayout layout = ApkLayout.read(file, written);
        SigningBlock block = layout.signingBlock().orElseThrow(() -> failed(file, "it has no APK Signing Block"));
        if (block.offset() != prefix) {
            throw failed(file, "its signing block starts at " + block.offset() + ", the mother's at " + prefix);
        }
        long blockSize = layout.zip().centralDirectoryOffset() - block.offset();
        if (blockSize % SigningBlock.PAGE != 0) {
            throw failed(file, "its signing block is " + blockSize + " bytes, not a multiple of 4096");
        }
        List<SigningBlock.Pair> motherPairs = mother.signingBlock().orElseThrow().contentPairs();
        if (!block.without(ChannelPairs.IDS).contentPairs().equals(motherPairs)) {
            throw failed(file, "its signature pairs are not the mother's, byte for byte and in order");
        }
        if (!Arrays.equals(layout.tail().bytes(), mother.tail().movedTo(layout.zip().centralDirectoryOffset()))) {
            throw failed(file, "its central directory or end records differ from the mother's beyond the moved offset");
        }
        Optional<ChannelInfo> info = ChannelPairs.decode(block);
        if (info.isEmpty() || !info.get().matches(channel)) {
            throw failed(file, "its channel reads back as " + info.map(ChannelInfo::toString).orElse("nothing")
                    + ", not '" + channel.name() + "'");
        }
    }

    private static PackagingException failed(Path file, String why) {
        return new PackagingException(VERIFICATION_FAILED, "channel APK " + file.getFileName() + " failed verification: " + why);
    }
}
