package dev.packline.packaging;

import static dev.packline.packaging.PackagingException.Problem.INVALID_ARGUMENT;
import static dev.packline.packaging.PackagingException.Problem.MALFORMED_APK;
import static dev.packline.packaging.PackagingException.Problem.NOT_SIGNED;
import static dev.packline.packaging.PackagingException.Problem.REFUSED;
import static dev.packline.packaging.PackagingException.Problem.UNREADABLE_INPUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.packline.packaging.internal.apk.ApkLayout;
import dev.packline.packaging.sample.SampleApkBuilder;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad mothers and bad requests, each refused with its own problem and a message naming it, and
 * never leaving an output file behind.
 */
class MotherPrecheckTest {
    @TempDir
    Path directory;

    interface Setup {
        Path make(Path directory) throws Exception;
    }

    record Case(String name, Setup setup, ChannelWriter.Options options, Channel channel,
            PackagingException.Problem problem, String messageFragment) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() throws Exception {
        ChannelWriter.Options walle = ChannelWriter.Options.defaults();
        Channel plain = Channel.of("huawei");
        return Stream.of(
                new Case("missing file", dir -> dir.resolve("absent.apk"), walle, plain, UNREADABLE_INPUT, "file not found"),
                new Case("a directory", dir -> Files.createDirectories(dir.resolve("folder.apk")), walle, plain,
                        UNREADABLE_INPUT, "not a regular file"),
                new Case("empty file", dir -> Files.createFile(dir.resolve("empty.apk")), walle, plain, MALFORMED_APK,
                        "not a ZIP archive"),
                new Case("random bytes", dir -> noise(dir),
                        walle, plain, MALFORMED_APK, "not a ZIP archive"),
                new Case("zip without manifest", MotherPrecheckTest::zipWithoutManifest, walle, plain, MALFORMED_APK,
                        "not an APK"),
                new Case("unsigned apk", MotherPrecheckTest::unsignedApk, walle, plain, NOT_SIGNED, "not signed"),
                new Case("truncated to half", dir -> truncate(Mothers.V1_V2_V3.build(dir), 0.5), walle, plain, MALFORMED_APK,
                        "not a ZIP archive"),
                new Case("last byte cut off", dir -> truncateBytes(Mothers.V1_V2_V3.build(dir), 1), walle, plain,
                        MALFORMED_APK, "not a ZIP archive"),
                new Case("signing block size field lies", dir -> lieAboutBlockSize(Mothers.V1_V2_V3.build(dir), 1L << 40),
                        walle, plain, MALFORMED_APK, "size field lies"),
                new Case("signing block size fields disagree", dir -> lieAboutBlockHeader(Mothers.V1_V2_V3.build(dir)),
                        walle, plain, MALFORMED_APK, "size fields disagree"),
                new Case("signing block pair length lies", dir -> lieAboutFirstPair(Mothers.V1_V2_V3.build(dir)), walle,
                        plain, MALFORMED_APK, "pair #1 length lies"),
                new Case("central directory offset lies", dir -> lieAboutCentralDirectory(Mothers.V1_V2_V3.build(dir)),
                        walle, plain, MALFORMED_APK, "central directory"),
                new Case("entry data corrupted", dir -> flipPayloadByte(Mothers.V1_V2_V3.build(dir)), walle, plain,
                        NOT_SIGNED, "does not verify"),
                new Case("v1 only, targetSdk 33", Mothers.V1_ONLY_TARGET_33::build, walle, plain, REFUSED,
                        "targets SDK 33"),
                new Case("already carries a channel", MotherPrecheckTest::channelApk, walle, plain, REFUSED,
                        "already carries channel 'first'"),
                new Case("extras in the vasdolly format", Mothers.V2_ONLY::build, new ChannelWriter.Options(ChannelFormat.VASDOLLY),
                        Channel.of("huawei", Map.of("k", "v")), INVALID_ARGUMENT, "vasdolly format cannot carry"),
                new Case("extras in a v1-only APK", Mothers.V1_ONLY_TARGET_29::build, walle, Channel.of("huawei",
                        Map.of("k", "v")), INVALID_ARGUMENT, "cannot hold extras"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedWithItsOwnProblem(Case testCase) throws Exception {
        Path mother = testCase.setup().make(directory);
        Path out = Files.createDirectories(directory.resolve("out"));
        PackagingException error = assertThrows(PackagingException.class, () -> {
            try (ChannelWriter writer = ChannelWriter.open(mother, testCase.options())) {
                writer.write(testCase.channel(), out.resolve("channel.apk"));
            }
        });
        assertEquals(testCase.problem(), error.problem(), error.getMessage());
        assertTrue(error.getMessage().contains(testCase.messageFragment()),
                "message '" + error.getMessage() + "' should mention '" + testCase.messageFragment() + "'");
        try (Stream<Path> left = Files.list(out)) {
            assertEquals(0, left.count(), "no output and no partial file is left behind");
        }
    }

    private static Path noise(Path dir) throws Exception {
        byte[] bytes = new byte[5000];
        new java.util.Random(7).nextBytes(bytes);
        return Files.write(dir.resolve("noise.apk"), bytes);
    }

    private static Path zipWithoutManifest(Path dir) throws Exception {
        Path file = dir.resolve("plain.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("readme.txt"));
            zip.write("hello".getBytes());
        }
        return file;
    }

    private static Path unsignedApk(Path dir) throws Exception {
        Path file = dir.resolve("unsigned.apk");
        try (OutputStream stream = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(stream)) {
            zip.putNextEntry(new ZipEntry("AndroidManifest.xml"));
            zip.write(SampleApkBuilder.fixtureEntry(21, 33, "AndroidManifest.xml"));
            zip.putNextEntry(new ZipEntry("resources.arsc"));
            zip.write(SampleApkBuilder.fixtureEntry(21, 33, "resources.arsc"));
        }
        return file;
    }

    private static Path channelApk(Path dir) throws Exception {
        Path mother = Mothers.V2_ONLY.build(dir);
        Path channel = dir.resolve("first.apk");
        try (ChannelWriter writer = ChannelWriter.open(mother, ChannelWriter.Options.defaults())) {
            writer.write(Channel.of("first"), channel);
        }
        return channel;
    }

    private static Path truncate(Path file, double fraction) throws Exception {
        return truncateBytes(file, (long) (Files.size(file) * (1 - fraction)));
    }

    private static Path truncateBytes(Path file, long cut) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - cut);
        }
        return file;
    }

    private static Path lieAboutBlockSize(Path file, long size) throws Exception {
        long footer = ApkLayout.read(file).zip().centralDirectoryOffset() - 24;
        return putLong(file, footer, size);
    }

    private static Path lieAboutBlockHeader(Path file) throws Exception {
        long blockOffset = ApkLayout.read(file).signingBlock().orElseThrow().offset();
        return putLong(file, blockOffset, 1234);
    }

    private static Path lieAboutFirstPair(Path file) throws Exception {
        long blockOffset = ApkLayout.read(file).signingBlock().orElseThrow().offset();
        return putLong(file, blockOffset + 8, 1L << 33);
    }

    private static Path lieAboutCentralDirectory(Path file) throws Exception {
        ApkLayout layout = ApkLayout.read(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer value = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, (int) (layout.zip().fileSize() + 10));
            channel.write(value, layout.zip().eocdOffset() + 16);
        }
        return file;
    }

    private static Path flipPayloadByte(Path file) throws Exception {
        ApkLayout layout = ApkLayout.read(file);
        long offset = layout.signingBlock().orElseThrow().offset() - 1000;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, offset);
            one.put(0, (byte) (one.get(0) ^ 0x5a)).rewind();
            channel.write(one, offset);
        }
        return file;
    }

    private static Path putLong(Path file, long offset, long value) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value), offset);
        }
        return file;
    }
}
