package dev.packline.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.packline.packaging.internal.apk.ApkLayout;
import dev.packline.packaging.internal.apk.SigningBlock;
import dev.packline.packaging.internal.zip.ZipSections;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading channels that other tools (or damage) put there, and blocks older signers left unpadded. */
class ChannelReaderTest {
    @TempDir
    Path directory;

    @Test
    void aWallePairThatIsNotJsonMakesTheApkMalformed() throws Exception {
        Path apk = withBlockPairs(Mothers.V2_ONLY.build(directory), true,
                new SigningBlock.Pair(SigningBlock.WALLE_ID, "{not json".getBytes(StandardCharsets.UTF_8)));
        PackagingException error = assertThrows(PackagingException.class, () -> ChannelReader.read(apk));
        assertEquals(PackagingException.Problem.MALFORMED_APK, error.problem());
        assertTrue(error.getMessage().contains("Walle channel pair is not JSON"), error.getMessage());
    }

    @Test
    void walleAndVasDollyChannelsThatDisagreeAreReported() throws Exception {
        Path apk = withBlockPairs(Mothers.V2_ONLY.build(directory), true,
                new SigningBlock.Pair(SigningBlock.WALLE_ID, "{\"channel\":\"a\"}".getBytes(StandardCharsets.UTF_8)),
                new SigningBlock.Pair(SigningBlock.VASDOLLY_ID, "b".getBytes(StandardCharsets.UTF_8)));
        PackagingException error = assertThrows(PackagingException.class, () -> ChannelReader.read(apk));
        assertTrue(error.getMessage().contains("disagree"), error.getMessage());
    }

    @Test
    void aChannelWrittenByAnotherToolIsReadWithItsExtras() throws Exception {
        Path apk = withBlockPairs(Mothers.V2_ONLY.build(directory), true, new SigningBlock.Pair(SigningBlock.WALLE_ID,
                "{\"channel\":\"meituan\",\"buildId\":42,\"city\":\"上海\"}".getBytes(StandardCharsets.UTF_8)));
        ChannelInfo info = ChannelReader.read(apk).orElseThrow();
        assertEquals("meituan", info.name());
        assertEquals(java.util.Map.of("buildId", "42", "city", "上海"), info.extras());
        Apksig.assertVerifies(apk, List.of("v2"));
    }

    @Test
    void aMotherWhoseBlockWasNotPaddedGetsChannelApksThatArePaddedAndVerify() throws Exception {
        Path mother = withBlockPairs(Mothers.V2_ONLY.build(directory), false);
        ApkLayout layout = ApkLayout.read(mother);
        long motherBlockSize = layout.zip().centralDirectoryOffset() - layout.signingBlock().orElseThrow().offset();
        assertNotEquals(0, motherBlockSize % 4096, "the mother's block is not a multiple of 4096, like older signers made");
        Apksig.assertVerifies(mother, List.of("v2"));

        Path channel = directory.resolve("padded.apk");
        try (ChannelWriter writer = ChannelWriter.open(mother, ChannelWriter.Options.defaults())) {
            writer.write(Channel.of("vivo"), channel);
        }
        ApkLayout written = ApkLayout.read(channel);
        assertEquals(0, (written.zip().centralDirectoryOffset() - written.signingBlock().orElseThrow().offset()) % 4096);
        Apksig.assertVerifies(channel, List.of("v2"));

        // strip gives the canonical (padded) mother, the same from the mother itself and from any channel APK
        Path fromChannel = directory.resolve("canonical-1.apk");
        Path fromMother = directory.resolve("canonical-2.apk");
        assertEquals(ChannelReader.strip(mother, fromMother).sha256(), ChannelReader.strip(channel, fromChannel).sha256());
        Apksig.assertVerifies(fromChannel, List.of("v2"));
    }

    /**
     * Rewrites the APK's signing block as the mother's signature pairs plus {@code extra}, padded to
     * 4096 bytes or not, moving the central directory: what another tool could have written.
     */
    private static Path withBlockPairs(Path apk, boolean padded, SigningBlock.Pair... extra) throws Exception {
        ApkLayout layout = ApkLayout.read(apk);
        SigningBlock block = layout.signingBlock().orElseThrow();
        List<SigningBlock.Pair> pairs = new ArrayList<>(block.contentPairs());
        pairs.addAll(List.of(extra));
        byte[] encoded = padded ? SigningBlock.of(block.offset(), pairs).encode() : unpadded(pairs);
        byte[] tail = layout.tail().movedTo(block.offset() + encoded.length);
        Path out = apk.resolveSibling("rewritten-" + apk.getFileName());
        try (FileChannel source = FileChannel.open(apk);
                FileChannel target = FileChannel.open(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            target.write(ZipSections.read(source, 0, (int) block.offset()), 0);
            target.write(ByteBuffer.wrap(encoded), block.offset());
            target.write(ByteBuffer.wrap(tail), block.offset() + encoded.length);
        }
        Files.delete(apk);
        return Files.move(out, apk);
    }

    private static byte[] unpadded(List<SigningBlock.Pair> pairs) {
        int size = 32;
        for (SigningBlock.Pair pair : pairs) {
            size += 12 + pair.value().length;
        }
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(size - 8);
        for (SigningBlock.Pair pair : pairs) {
            out.putLong(4 + pair.value().length).putInt(pair.id()).put(pair.value());
        }
        out.putLong(size - 8).put("APK Sig Block 42".getBytes(StandardCharsets.US_ASCII));
        return out.array();
    }
}
