package dev.packline.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Why channel APKs carry no v4 signature: the mother's .idsig no longer matches a channel APK. */
class V4SignatureTest {
    @TempDir
    Path directory;

    @Test
    void theMothersIdsigIsStaleForItsChannelApksAndVerificationSaysSo() throws Exception {
        Path mother = Mothers.V4_WITH_IDSIG.build(directory);
        Path idsig = mother.resolveSibling(mother.getFileName() + ".idsig");
        ApkReport report = ApkInspector.inspect(mother);
        assertTrue(report.schemesPresent().contains(SignatureScheme.V4), "inspect lists v4 when an .idsig lies beside");
        assertTrue(ApkInspector.verify(mother).schemes().contains(SignatureScheme.V4));

        Path channelApk = directory.resolve("channel.apk");
        try (ChannelWriter writer = ChannelWriter.open(mother, new ChannelWriter.Options(ChannelFormat.WALLE))) {
            writer.write(Channel.of("华为"), channelApk);
        }
        assertTrue(ApkInspector.verify(channelApk).verified(), "without an .idsig the channel APK verifies (v2/v3)");

        Files.copy(idsig, channelApk.resolveSibling("channel.apk.idsig"));
        SignatureReport stale = ApkInspector.verify(channelApk);
        assertFalse(stale.verified());
        assertFalse(stale.schemes().contains(SignatureScheme.V4));
        assertTrue(stale.errors().stream().anyMatch(error -> error.contains("v4")), stale.errors().toString());
        assertTrue(Apksig.verify(channelApk).verified(),
                "apksig alone still says verified with a stale .idsig: that is why Packline checks the v4 result itself");
    }
}
