package dev.packline.packaging.internal.apk;

import static dev.packline.packaging.PackagingException.Problem.IO;

import com.android.apksig.ApkVerifier;
import com.android.apksig.apk.ApkFormatException;
import com.android.apksig.util.DataSource;
import com.android.apksig.util.DataSources;
import dev.packline.packaging.MalformedApkException;
import dev.packline.packaging.PackagingException;
import dev.packline.packaging.SignatureReport;
import dev.packline.packaging.SignatureScheme;
import java.io.IOException;
import java.nio.channels.FileChannel;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Full verification with apksig, the library behind {@code apksigner verify}: it re-hashes the
 * whole file. apksig's {@code isVerified()} stays true when an .idsig no longer matches the APK,
 * so a v4 file that was given but did not verify is turned into an error here.
 *
 * <p>{@link #verifyInParallel} gives the same verdict as {@link #verify} in about half the time on
 * two cores, for an APK whose min SDK is below 24 (where apksig checks v1 and the signing-block
 * schemes one after the other, each hashing the whole file): it runs apksig twice at once over one
 * memory-mapped copy of the file, once for the platforms that read only v1 (min SDK..23) and once
 * for those that read the signing block (24 and up), then makes the one check that joins the two
 * halves in a full run, that v1 and v2 name the same signers. The v1 stripping protection needs no
 * joining: the second half verifies every block scheme the APK carries.
 */
public final class SignatureCheck {
    private SignatureCheck() {
    }

    public static SignatureReport verify(Path apk, Optional<Path> idsig) throws PackagingException {
        ApkVerifier.Builder builder = new ApkVerifier.Builder(apk.toFile());
        idsig.ifPresent(file -> builder.setV4SignatureFile(file.toFile()));
        ApkVerifier.Result result = run(apk, builder);
        List<String> errors = new ArrayList<>();
        Set<SignatureScheme> schemes = EnumSet.noneOf(SignatureScheme.class);
        collect(result, errors, schemes);
        result.getV4SchemeSigners().forEach(signer -> signer.getErrors().forEach(issue -> errors.add("v4: " + issue)));
        if (result.isVerifiedUsingV4Scheme()) {
            schemes.add(SignatureScheme.V4);
        } else if (idsig.isPresent()) {
            errors.add("v4 signature " + idsig.get().getFileName() + " does not match the APK");
        }
        boolean verified = result.isVerified() && errors.isEmpty();
        return new SignatureReport(verified, schemes, fingerprints(result.getSignerCertificates()), errors);
    }

    /**
     * The verdict of {@link #verify} without a v4 file, for an APK whose manifest says {@code minSdk}:
     * in two concurrent halves when {@code minSdk} is below 24 and the APK is small enough to map
     * (under 2 GiB), otherwise as one apksig run.
     */
    public static SignatureReport verifyInParallel(Path apk, int minSdk) throws PackagingException {
        try (FileChannel file = FileChannel.open(apk)) {
            if (minSdk >= 24 || file.size() > Integer.MAX_VALUE) {
                return verify(apk, Optional.empty());
            }
            DataSource mapped = DataSources.asDataSource(file.map(FileChannel.MapMode.READ_ONLY, 0, file.size()));
            CompletableFuture<ApkVerifier.Result> v1Half = async(apk, new ApkVerifier.Builder(mapped)
                    .setMinCheckedPlatformVersion(minSdk).setMaxCheckedPlatformVersion(23));
            ApkVerifier.Result blockHalf = run(apk, new ApkVerifier.Builder(mapped).setMinCheckedPlatformVersion(24));
            ApkVerifier.Result v1Result = join(v1Half);
            List<String> errors = new ArrayList<>();
            Set<SignatureScheme> schemes = EnumSet.noneOf(SignatureScheme.class);
            collect(v1Result, errors, schemes);
            collect(blockHalf, errors, schemes);
            if (v1Result.isVerifiedUsingV1Scheme() && blockHalf.isVerifiedUsingV2Scheme()) {
                List<String> v1Signers = fingerprints(v1Result.getV1SchemeSigners().stream().map(ApkVerifier.Result.V1SchemeSignerInfo::getCertificate).toList());
                List<String> v2Signers = fingerprints(blockHalf.getV2SchemeSigners().stream().map(ApkVerifier.Result.V2SchemeSignerInfo::getCertificate).toList());
                if (!Set.copyOf(v1Signers).equals(Set.copyOf(v2Signers))) {
                    errors.add("v1 signers " + v1Signers + " differ from v2 signers " + v2Signers);
                }
            }
            boolean verified = v1Result.isVerified() && blockHalf.isVerified() && errors.isEmpty();
            List<X509Certificate> signers = blockHalf.isVerified() && !blockHalf.getSignerCertificates().isEmpty()
                    ? blockHalf.getSignerCertificates() : v1Result.getSignerCertificates();
            return new SignatureReport(verified, schemes, fingerprints(signers), errors);
        } catch (IOException e) {
            throw new PackagingException(IO, "cannot read " + apk + " to verify it: " + e.getMessage(), e);
        }
    }

    private static CompletableFuture<ApkVerifier.Result> async(Path apk, ApkVerifier.Builder builder) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return run(apk, builder);
            } catch (PackagingException e) {
                throw new CompletionException(e);
            }
        }, runnable -> Thread.ofVirtual().name("packline-apksig-v1").start(runnable));
    }

    private static ApkVerifier.Result join(CompletableFuture<ApkVerifier.Result> half) throws PackagingException {
        try {
            return half.join();
        } catch (CompletionException e) {
            throw (PackagingException) e.getCause();
        }
    }

    private static ApkVerifier.Result run(Path apk, ApkVerifier.Builder builder) throws PackagingException {
        try {
            return builder.build().verify();
        } catch (ApkFormatException e) {
            throw new MalformedApkException(e.getMessage(), e);
        } catch (IOException e) {
            throw new PackagingException(IO, "cannot read " + apk + " to verify it: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException | RuntimeException e) {
            throw new MalformedApkException("apksig could not verify it (" + e + ")", e);
        }
    }

    private static void collect(ApkVerifier.Result result, List<String> errors, Set<SignatureScheme> schemes) {
        result.getAllErrors().forEach(issue -> errors.add(issue.toString()));
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
