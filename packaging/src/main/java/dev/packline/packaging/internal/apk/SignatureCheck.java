package dev.packline.packaging.internal.apk;

import static dev.packline.packaging.PackagingException.Problem.IO;

import com.android.apksig.ApkVerifier;
import com.android.apksig.apk.ApkFormatException;
import dev.packline.packaging.MalformedApkException;
import dev.packline.packaging.PackagingException;
import dev.packline.packaging.SignatureReport;
import dev.packline.packaging.SignatureScheme;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Full verification with apksig, the library behind {@code apksigner verify}: it re-hashes the
 * whole file. apksig's {@code isVerified()} stays true when an .idsig no longer matches the APK,
 * so a v4 file that was given but did not verify is turned into an error here.
 */
public final class SignatureCheck {
    private SignatureCheck() {
    }

    public static SignatureReport verify(Path apk, Optional<Path> idsig) throws PackagingException {
        ApkVerifier.Builder builder = new ApkVerifier.Builder(apk.toFile());
        idsig.ifPresent(file -> builder.setV4SignatureFile(file.toFile()));
        ApkVerifier.Result result;
        try {
            result = builder.build().verify();
        } catch (ApkFormatException e) {
            throw new MalformedApkException(e.getMessage(), e);
        } catch (IOException e) {
            throw new PackagingException(IO, "cannot read " + apk + " to verify it: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException | RuntimeException e) {
            throw new MalformedApkException("apksig could not verify it (" + e + ")", e);
        }
        List<String> errors = new ArrayList<>();
        result.getAllErrors().forEach(issue -> errors.add(issue.toString()));
        result.getV4SchemeSigners().forEach(signer -> signer.getErrors().forEach(issue -> errors.add("v4: " + issue)));
        Set<SignatureScheme> schemes = EnumSet.noneOf(SignatureScheme.class);
        if (result.isVerifiedUsingV1Scheme()) {
            schemes.add(SignatureScheme.V1);
        }
        if (result.isVerifiedUsingV2Scheme()) {
            schemes.add(SignatureScheme.V2);
        }
        if (result.isVerifiedUsingV3Scheme()) {
            schemes.add(SignatureScheme.V3);
        }
        if (result.isVerifiedUsingV31Scheme()) {
            schemes.add(SignatureScheme.V31);
        }
        if (result.isVerifiedUsingV4Scheme()) {
            schemes.add(SignatureScheme.V4);
        } else if (idsig.isPresent()) {
            errors.add("v4 signature " + idsig.get().getFileName() + " does not match the APK");
        }
        boolean verified = result.isVerified() && errors.isEmpty();
        return new SignatureReport(verified, schemes, fingerprints(result.getSignerCertificates()), errors);
    }

    private static List<String> fingerprints(List<X509Certificate> certificates) {
        List<String> out = new ArrayList<>();
        for (X509Certificate certificate : certificates) {
            try {
                out.add(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded())));
            } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
                throw new IllegalStateException("cannot fingerprint a certificate apksig accepted", e);
            }
        }
        return out;
    }
}
