package dev.packline.packaging;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.android.apksig.ApkVerifier;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Independent verification for tests: apksig's ApkVerifier called directly, not through the code
 * under test, with the schemes it verified in apksigner's own terms.
 */
final class Apksig {
    private Apksig() {
    }

    record Outcome(boolean verified, List<String> schemes, List<String> errors, List<String> certificates) {
    }

    static Outcome verify(Path apk) throws Exception {
        ApkVerifier.Builder builder = new ApkVerifier.Builder(apk.toFile());
        File idsig = apk.resolveSibling(apk.getFileName() + ".idsig").toFile();
        if (idsig.isFile()) {
            builder.setV4SignatureFile(idsig);
        }
        ApkVerifier.Result result = builder.build().verify();
        List<String> schemes = new ArrayList<>();
        if (result.isVerifiedUsingV1Scheme()) {
            schemes.add("v1");
        }
        if (result.isVerifiedUsingV2Scheme()) {
            schemes.add("v2");
        }
        if (result.isVerifiedUsingV3Scheme()) {
            schemes.add("v3");
        }
        if (result.isVerifiedUsingV31Scheme()) {
            schemes.add("v3.1");
        }
        if (result.isVerifiedUsingV4Scheme()) {
            schemes.add("v4");
        }
        List<String> certificates = new ArrayList<>();
        for (var certificate : result.getSignerCertificates()) {
            certificates.add(java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded())));
        }
        return new Outcome(result.isVerified(), schemes, result.getAllErrors().stream().map(Object::toString).toList(),
                certificates);
    }

    /** Asserts apksig verifies {@code apk} with exactly {@code schemes}. */
    static void assertVerifies(Path apk, List<String> schemes) throws Exception {
        Outcome outcome = verify(apk);
        assertTrue(outcome.verified(), apk.getFileName() + " does not verify: " + outcome.errors());
        org.junit.jupiter.api.Assertions.assertEquals(schemes, outcome.schemes(), apk.getFileName() + " schemes");
    }

    static String sha256(Path file) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(file)));
    }
}
