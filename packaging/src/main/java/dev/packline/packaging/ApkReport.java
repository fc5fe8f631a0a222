package dev.packline.packaging;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code channel inspect} prints: the manifest, the signature schemes present, the signer
 * certificates apksig verified, where the signing block lies, ZIP64 or not, and the channel.
 * {@code signatureVerified} is empty for ZIP64 APKs, which apksig cannot read.
 */
public record ApkReport(long fileSize, ManifestFacts manifest, Set<SignatureScheme> schemesPresent,
        Optional<Boolean> signatureVerified, List<String> signerCertificateSha256, List<String> signatureErrors,
        Optional<Long> signingBlockOffset, Optional<Long> signingBlockSize, boolean zip64, Optional<ChannelInfo> channel) {
}
