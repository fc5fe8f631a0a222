package dev.packline.packaging;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What apksig (the library behind {@code apksigner verify}) concluded about an APK: whether it
 * verifies, with which schemes, the signer certificates' SHA-256 and every error it reported.
 */
public record SignatureReport(boolean verified, Set<SignatureScheme> schemes, List<String> signerCertificateSha256,
        List<String> errors) {
    public SignatureReport {
        schemes = schemes.isEmpty() ? EnumSet.noneOf(SignatureScheme.class) : EnumSet.copyOf(schemes);
        signerCertificateSha256 = List.copyOf(signerCertificateSha256);
        errors = List.copyOf(errors);
    }
}
