package dev.packline.packaging.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.packline.packaging.internal.apk.ApkLayout;
import dev.packline.packaging.internal.apk.SigningBlock;
import dev.packline.packaging.internal.zip.ZipSections;
import dev.packline.packaging.sample.SampleApkBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The block encoder against apksig's own output, and the padding rule at its edges. */
class SigningBlockTest {
    @TempDir
    Path directory;

    @Test
    void reEncodingAnApksigBlockGivesItsExactBytes() throws Exception {
        Path apk = new SampleApkBuilder().sdk(21, 33).build(directory.resolve("signed.apk"));
        ApkLayout layout = ApkLayout.read(apk);
        SigningBlock block = layout.signingBlock().orElseThrow();
        int size = (int) (layout.zip().centralDirectoryOffset() - block.offset());
        try (FileChannel file = FileChannel.open(apk)) {
            byte[] onDisk = ZipSections.read(file, block.offset(), size).array();
            assertArrayEquals(onDisk, block.encode());
        }
    }

    /** Value sizes around the edge where the padding pair would be shorter than its 12-byte header. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4000, 4048, 4050, 4052, 4056, 4060, 4061, 4064, 9000})
    void paddedToAMultipleOf4096WithAZeroFilledPaddingPair(int valueSize) {
        SigningBlock block = SigningBlock.of(0, List.of(new SigningBlock.Pair(SigningBlock.V2_ID, new byte[valueSize])));
        byte[] encoded = block.encode();
        assertEquals(0, encoded.length % 4096);
        ByteBuffer buffer = ByteBuffer.wrap(encoded).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(encoded.length - 8, buffer.getLong(0));
        assertEquals(encoded.length - 8, buffer.getLong(encoded.length - 24));
        long unpadded = 32 + 12 + valueSize;
        if (unpadded % 4096 == 0) {
            assertEquals(unpadded, encoded.length, "no padding pair when none is needed");
        } else {
            int paddingStart = 8 + 12 + valueSize;
            assertEquals(SigningBlock.VERITY_PADDING_ID, buffer.getInt(paddingStart + 8));
            assertEquals(encoded.length - 24 - paddingStart - 8, buffer.getLong(paddingStart));
            for (int i = paddingStart + 12; i < encoded.length - 24; i++) {
                assertEquals(0, encoded[i]);
            }
        }
    }
}
