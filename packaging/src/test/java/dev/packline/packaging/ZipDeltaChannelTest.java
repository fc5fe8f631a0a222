package dev.packline.packaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.packline.packaging.zipdelta.ZipDeltaApplier;
import dev.packline.packaging.zipdelta.ZipDeltaMaker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The channel client flow with a zip-aware patch made mother to mother: the client strips its
 * channel (getting the old mother back exactly), applies the patch, writes its channel back, and
 * holds exactly the channel APK the server publishes for the new release, which apksig verifies.
 */
class ZipDeltaChannelTest {
    @TempDir
    Path directory;

    @ParameterizedTest
    @EnumSource(value = ApkReleases.Signing.class, names = {"V1_V2", "V2_V3"})
    void channelApkIsStrippedPatchedAndGetsItsChannelBack(ApkReleases.Signing signing) throws Exception {
        Path oldMother = ApkReleases.build(directory, signing, 1);
        Path newMother = ApkReleases.build(directory, signing, 2);
        Channel channel = Channel.of("华为", Map.of("tier", "1"));
        Path installed = write(oldMother, channel, directory.resolve("installed.apk"));
        Path published = write(newMother, channel, directory.resolve("published.apk"));
        Path patch = directory.resolve("mother-to-mother.zipdelta");
        new ZipDeltaMaker().make(oldMother, newMother, patch);

        ChannelInfo own = ChannelReader.read(installed).orElseThrow();
        Path strippedOld = directory.resolve("client-old-mother.apk");
        assertEquals(Apksig.sha256(oldMother), ChannelReader.strip(installed, strippedOld).sha256());
        Path patchedNew = directory.resolve("client-new-mother.apk");
        assertEquals(Apksig.sha256(newMother), ZipDeltaApplier.apply(strippedOld, patch, patchedNew).newSha256());
        Path rebuilt = write(patchedNew, Channel.of(own.name(), own.extras()), directory.resolve("client-new.apk"));

        assertArrayEquals(Files.readAllBytes(published), Files.readAllBytes(rebuilt));
        assertEquals("华为", ChannelReader.read(rebuilt).orElseThrow().name());
        Apksig.assertVerifies(rebuilt, signing == ApkReleases.Signing.V1_V2 ? List.of("v1", "v2") : List.of("v2", "v3"));
    }

    private static Path write(Path mother, Channel channel, Path output) throws Exception {
        try (ChannelWriter writer = ChannelWriter.open(mother, ChannelWriter.Options.defaults())) {
            return writer.write(channel, output).file();
        }
    }
}
