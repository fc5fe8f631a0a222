package dev.packline.packaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.packline.packaging.internal.apk.ApkLayout;
import dev.packline.packaging.internal.apk.SigningBlock;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of mother that can carry channels, in every format: each written APK verifies with
 * apksig exactly like its mother (v4 aside, which is dropped), its channel reads back, the signing
 * block keeps every pair byte for byte and stays a multiple of 4096, the entries are the mother's
 * bytes, and stripping gives back the mother's exact bytes.
 */
class ChannelWriterTest {
    @TempDir
    Path directory;

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Mothers mother : Mothers.values()) {
            if (!mother.channelsPossible) {
                continue;
            }
            boolean v1Only = mother == Mothers.V1_ONLY_TARGET_29;
            for (ChannelFormat format : v1Only ? List.of(ChannelFormat.WALLE) : List.of(ChannelFormat.WALLE,
                    ChannelFormat.VASDOLLY, ChannelFormat.BOTH)) {
                cases.add(Arguments.of(mother, format));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("cases")
    void channelApksVerifyLikeTheirMotherAndStripBackToIt(Mothers kind, ChannelFormat format) throws Exception {
        Path mother = kind.build(directory);
        Apksig.Outcome motherOutcome = Apksig.verify(mother);
        assertTrue(motherOutcome.verified(), "the mother itself verifies: " + motherOutcome.errors());
        List<String> expectedSchemes = motherOutcome.schemes().stream().filter(scheme -> !scheme.equals("v4")).toList();
        boolean v1Only = kind == Mothers.V1_ONLY_TARGET_29;
        boolean extrasPossible = format != ChannelFormat.VASDOLLY && !v1Only;
        List<Channel> channels = List.of(
                Channel.of("huawei", extrasPossible ? Map.of("campaign", "spring") : Map.of()),
                Channel.of("小米应用商店"),
                Channel.of("oppo-2024_v.1", extrasPossible ? Map.of("city", "北京", "n", "7") : Map.of()));
        Path out = Files.createDirectories(directory.resolve("out"));
        List<WrittenChannel.Verification> verifications = new ArrayList<>();

        try (ChannelWriter writer = ChannelWriter.open(mother, new ChannelWriter.Options(format))) {
            for (Channel channel : channels) {
                Path output = out.resolve(channel.name() + ".apk");
                WrittenChannel written = writer.write(channel, output);
                verifications.add(written.verification());

                Apksig.Outcome outcome = Apksig.verify(output);
                assertTrue(outcome.verified(), output.getFileName() + ": " + outcome.errors());
                assertEquals(expectedSchemes, outcome.schemes(), "schemes of " + output.getFileName());
                assertEquals(motherOutcome.certificates(), outcome.certificates());
                assertEquals(Apksig.sha256(output), written.sha256());
                assertEquals(Files.size(output), written.bytes());

                ChannelInfo info = ChannelReader.read(output).orElseThrow();
                assertEquals(channel.name(), info.name());
                assertEquals(channel.extras(), info.extras());
                assertEquals(v1Only ? ChannelFormat.V1_ENTRY : format, info.format());

                if (!v1Only) {
                    assertBlockKeepsTheMothersPairs(mother, output, format);
                }
                Path stripped = directory.resolve("stripped-" + channel.name() + ".apk");
                ChannelReader.Stripped result = ChannelReader.strip(output, stripped);
                assertEquals(Apksig.sha256(mother), Apksig.sha256(stripped), "strip gives back the mother");
                assertEquals(info, result.removed().orElseThrow());
            }
        }
        assertEquals(WrittenChannel.Verification.APKSIG, verifications.get(0));
        assertEquals(v1Only ? WrittenChannel.Verification.APKSIG : WrittenChannel.Verification.SAME_AS_VERIFIED,
                verifications.get(2));
    }

    private static void assertBlockKeepsTheMothersPairs(Path mother, Path output, ChannelFormat format) throws Exception {
        ApkLayout motherLayout = ApkLayout.read(mother);
        ApkLayout channelLayout = ApkLayout.read(output);
        SigningBlock motherBlock = motherLayout.signingBlock().orElseThrow();
        SigningBlock channelBlock = channelLayout.signingBlock().orElseThrow();
        assertEquals(motherBlock.offset(), channelBlock.offset());
        long blockSize = channelLayout.zip().centralDirectoryOffset() - channelBlock.offset();
        assertEquals(0, blockSize % 4096, "block size " + blockSize);

        List<Integer> expectedIds = new ArrayList<>(motherBlock.contentPairs().stream().map(SigningBlock.Pair::id).toList());
        if (format != ChannelFormat.VASDOLLY) {
            expectedIds.add(SigningBlock.WALLE_ID);
        }
        if (format != ChannelFormat.WALLE) {
            expectedIds.add(SigningBlock.VASDOLLY_ID);
        }
        assertEquals(expectedIds, channelBlock.contentPairs().stream().map(SigningBlock.Pair::id).toList());
        for (int i = 0; i < motherBlock.contentPairs().size(); i++) {
            assertArrayEquals(motherBlock.contentPairs().get(i).value(), channelBlock.contentPairs().get(i).value());
        }
        assertPrefixEqual(mother, output, motherBlock.offset());
    }

    static void assertPrefixEqual(Path mother, Path output, long length) throws Exception {
        try (InputStream a = Files.newInputStream(mother); InputStream b = Files.newInputStream(output)) {
            byte[] left = new byte[1 << 16];
            byte[] right = new byte[1 << 16];
            for (long done = 0; done < length; ) {
                int chunk = (int) Math.min(left.length, length - done);
                assertEquals(chunk, a.readNBytes(left, 0, chunk));
                assertEquals(chunk, b.readNBytes(right, 0, chunk));
                assertTrue(Arrays.equals(left, 0, chunk, right, 0, chunk), "entries differ near offset " + done);
                done += chunk;
            }
        }
    }
}
