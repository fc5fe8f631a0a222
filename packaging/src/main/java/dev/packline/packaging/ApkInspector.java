package dev.packline.packaging;

import dev.packline.packaging.internal.apk.ApkLayout;
import dev.packline.packaging.internal.apk.SignatureCheck;
import dev.packline.packaging.internal.apk.SigningBlock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Reads what an APK is (manifest, signatures, signing block, channel) and verifies it. Thread-safe. */
public final class ApkInspector {
    private ApkInspector() {
    }

    /** Everything {@code channel inspect} prints; verifies the signatures with apksig (one full read). */
    public static ApkReport inspect(Path apk) throws PackagingException {
        ApkLayout layout = ApkLayout.read(apk);
        ManifestFacts manifest = ManifestFacts.read(apk);
        Optional<SignatureReport> report = layout.zip().zip64() ? Optional.empty() : Optional.of(verifyLayout(layout));
        Optional<Long> blockSize = layout.signingBlock()
                .map(block -> layout.zip().centralDirectoryOffset() - block.offset());
        return new ApkReport(layout.zip().fileSize(), manifest, layout.schemesPresent(),
                report.map(SignatureReport::verified),
                report.map(SignatureReport::signerCertificateSha256).orElse(List.of()),
                report.map(SignatureReport::errors).orElse(List.of("apksig cannot verify ZIP64 APKs")),
                layout.signingBlock().map(SigningBlock::offset), blockSize, layout.zip().zip64(), ChannelReader.read(apk));
    }

    /**
     * Full apksig verification, with the .idsig beside the APK when there is one. ZIP64 APKs are
     * reported as not verified with that reason (neither apksig nor Android reads their v2+ signatures).
     */
    public static SignatureReport verify(Path apk) throws PackagingException {
        ApkLayout layout = ApkLayout.read(apk);
        if (layout.zip().zip64()) {
            return new SignatureReport(false, layout.schemesPresent(), List.of(),
                    List.of("ZIP64 APK: apksig and Android do not verify v2+ signatures of ZIP64 archives"));
        }
        return verifyLayout(layout);
    }

    private static SignatureReport verifyLayout(ApkLayout layout) throws PackagingException {
        Optional<Path> idsig = Files.isRegularFile(layout.idsigPath()) ? Optional.of(layout.idsigPath()) : Optional.empty();
        return SignatureCheck.verify(layout.path(), idsig);
    }
}
