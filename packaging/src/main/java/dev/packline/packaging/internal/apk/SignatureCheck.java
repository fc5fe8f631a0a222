package dev.packline.packaging.internal.apk;

import static dev.packline.packaging.PackagingException.Problem.IO;

import com.android.apksig.ApkVerifier;
import com.android.apksig.SigningCertificateLineage;
import com.android.apksig.apk.ApkFormatException;
import com.android.apksig.util.DataSource;
import com.android.apksig.util.DataSources;
import dev.packline.packaging.MalformedApkException;
import dev.packline.packaging.PackagingException;
import dev.packline.packaging.SignatureReport;
import dev.packline.packaging.SignatureScheme;
import dev.packline.packaging.internal.io.CpuThreads;
import dev.packline.packaging.internal.zip.ZipSections;
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
 * <p>{@link #verifyInParallel} gives the same verdict as {@link #verify} in less time on two or more
 * cores. A full apksig run checks the schemes one after the other, each hashing the whole file: v1
 * for platforms below 24 (N), v2 for those below 28 (P) when v3 is there, v3 from 28. It runs apksig
 * once per such platform range instead, all at once over one memory-mapped copy of the file: min
 * SDK..23 (reads only v1), 24..27 (only v2, split off only when the APK carries both v2 and v3; the
 * run for 28 and up then checks v3 and v3.1 alone) and the rest. Then it makes the checks that join
 * the ranges in a full run: v1 and v2 name the same signers, and the v3 signer is the v1 (else v2)
 * signer or has it at the root of its lineage. Stripping protection needs no joining: the run for
 * the highest platforms sees every block scheme the APK carries, and falls back to v2 or v1 itself
 * when a newer scheme is missing. One difference is left: a v1 signature that names v3 in its
 * {@code X-Android-APK-Signed} header on an APK whose v3 block was removed, while its v2 signature
 * does not name v3, fails a full run and passes here (apksig's own signers always name v3 in v2 too).
 *
 * <p>The mapping is released when the collector frees it, not when this returns: Java 21 has no
 * call that unmaps a {@code MappedByteBuffer}. Until then a verified file that has been deleted
 * still holds its disk space. Reading through file channels instead releases it at
 * once, but measured with one channel per part it made the first channel APK of a 200 MiB mother
 * 40-60 ms slower (every read goes through an extra buffer), about 1% of a 50-channel batch.
 */
public final class SignatureCheck {
    private SignatureCheck() {
    }

    public static SignatureReport verify(Path apk, Optional<Path> idsig) throws PackagingException {
        return verify(apk, idsig, new ApkVerifier.Builder(apk.toFile()));
    }

    /**
     * As {@link #verify(Path, Optional)} for platforms from {@code minSdk} on instead of the manifest's
     * minSdk: apksigner's {@code --min-sdk-version}, for APKs whose signatures target a higher minimum
     * than their manifest states (a v3-only APK with minSdk 21 in its manifest verifies from 28 on).
     */
    public static SignatureReport verify(Path apk, Optional<Path> idsig, int minSdk) throws PackagingException {
        return verify(apk, idsig, new ApkVerifier.Builder(apk.toFile()).setMinCheckedPlatformVersion(minSdk));
    }

    private static SignatureReport verify(Path apk, Optional<Path> idsig, ApkVerifier.Builder builder) throws PackagingException {
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
     * The verdict of {@link #verify} without a v4 file, for platforms from {@code minSdk} on (the manifest's, or the caller's):
     * in concurrent runs per platform range when there is more than one (see above) and the APK is
     * small enough to map (under 2 GiB), otherwise as one apksig run.
     */
    public static SignatureReport verifyInParallel(Path apk, int minSdk) throws PackagingException {
        try (FileChannel file = FileChannel.open(apk)) {
            boolean splitV1 = minSdk < 24;
            boolean splitV2 = minSdk < 28 && carriesV2AndV3(file);
            if ((!splitV1 && !splitV2) || file.size() > Integer.MAX_VALUE) {
                return verify(apk, Optional.empty(), minSdk);
            }
            DataSource mapped = DataSources.asDataSource(file.map(FileChannel.MapMode.READ_ONLY, 0, file.size()));
            CompletableFuture<ApkVerifier.Result> v1Part = splitV1 ? async(apk, "v1", new ApkVerifier.Builder(mapped)
                    .setMinCheckedPlatformVersion(minSdk).setMaxCheckedPlatformVersion(23)) : null;
            CompletableFuture<ApkVerifier.Result> v2Part = splitV2 ? async(apk, "v2", new ApkVerifier.Builder(mapped)
                    .setMinCheckedPlatformVersion(Math.max(24, minSdk)).setMaxCheckedPlatformVersion(27)) : null;
            ApkVerifier.Result newest = run(apk, new ApkVerifier.Builder(mapped)
                    .setMinCheckedPlatformVersion(splitV2 ? 28 : Math.max(24, minSdk)));
            List<ApkVerifier.Result> parts = new ArrayList<>();
            if (v1Part != null) {
                parts.add(join(v1Part));
            }
            if (v2Part != null) {
                parts.add(join(v2Part));
            }
            parts.add(newest);
            List<String> errors = new ArrayList<>();
            Set<SignatureScheme> schemes = EnumSet.noneOf(SignatureScheme.class);
            boolean verified = true;
            for (ApkVerifier.Result part : parts) {
                collect(part, errors, schemes);
                verified &= part.isVerified();
            }
            if (verified) {
                joinSigners(parts, newest, errors);
            }
            List<X509Certificate> signers = newest.isVerified() && !newest.getSignerCertificates().isEmpty()
                    ? newest.getSignerCertificates() : parts.get(0).getSignerCertificates();
            return new SignatureReport(verified && errors.isEmpty(), schemes, fingerprints(signers), errors);
        } catch (IOException e) {
            throw new PackagingException(IO, "cannot read " + apk + " to verify it: " + e.getMessage(), e);
        }
    }

    private static boolean carriesV2AndV3(FileChannel file) throws IOException {
        try {
            Optional<SigningBlock> block = SigningBlock.read(file, ZipSections.locate(file));
            return block.isPresent() && block.get().has(SigningBlock.V2_ID) && block.get().has(SigningBlock.V3_ID);
        } catch (MalformedApkException e) {
            return false; // one full run then says what is wrong, in apksig's words
        }
    }

    /**
     * The checks a full apksig run makes across the platform ranges, on verified parts: v1 and v2
     * signed by the same certificates, and v3 signed by the v1 signer (or the v2 signer when there is
     * no v1), or by a later key whose lineage starts with it.
     */
    private static void joinSigners(List<ApkVerifier.Result> parts, ApkVerifier.Result newest, List<String> errors) {
        ApkVerifier.Result v1 = parts.stream().filter(ApkVerifier.Result::isVerifiedUsingV1Scheme).findFirst().orElse(null);
        ApkVerifier.Result v2 = parts.stream().filter(ApkVerifier.Result::isVerifiedUsingV2Scheme).findFirst().orElse(null);
        if (v1 != null && v2 != null && v1 != v2) {
            List<String> v1Signers = fingerprints(v1Certificates(v1));
            List<String> v2Signers = fingerprints(v2Certificates(v2));
            if (!Set.copyOf(v1Signers).equals(Set.copyOf(v2Signers))) {
                errors.add("v1 signers " + v1Signers + " differ from v2 signers " + v2Signers);
            }
        }
        ApkVerifier.Result past = v1 != null ? v1 : v2;
        if (!newest.isVerifiedUsingV3Scheme() || past == null || past == newest) {
            return; // no v3, nothing older, or the same apksig run already compared them
        }
        String pastScheme = past == v1 ? "v1" : "v2";
        List<X509Certificate> pastSigners = past == v1 ? v1Certificates(v1) : v2Certificates(v2);
        if (pastSigners.size() != 1) {
            errors.add("v3 follows one earlier signer, but " + pastScheme + " has " + pastSigners.size());
            return;
        }
        X509Certificate oldSigner = pastSigners.get(0);
        SigningCertificateLineage lineage = newest.getSigningCertificateLineage();
        if (lineage == null) {
            List<ApkVerifier.Result.V3SchemeSignerInfo> v3Signers = newest.getV3SchemeSigners();
            if (v3Signers.size() != 1) {
                errors.add("v3 has " + v3Signers.size() + " signers and no lineage");
                return;
            }
            List<String> v3Signer = fingerprints(List.of(v3Signers.get(0).getCertificate()));
            List<String> old = fingerprints(List.of(oldSigner));
            if (!old.equals(v3Signer)) {
                errors.add("v3 signer " + v3Signer + " differs from the " + pastScheme + " signer " + old
                        + " and has no lineage from it");
            }
        } else {
            try {
                if (lineage.getSubLineage(oldSigner).size() != 1) {
                    errors.add("the " + pastScheme + " signer is not the first key of the v3 lineage");
                }
            } catch (IllegalArgumentException e) {
                errors.add("the " + pastScheme + " signer is not in the v3 lineage");
            }
        }
    }

    private static List<X509Certificate> v1Certificates(ApkVerifier.Result result) {
        return result.getV1SchemeSigners().stream().map(ApkVerifier.Result.V1SchemeSignerInfo::getCertificate).toList();
    }

    private static List<X509Certificate> v2Certificates(ApkVerifier.Result result) {
        return result.getV2SchemeSigners().stream().map(ApkVerifier.Result.V2SchemeSignerInfo::getCertificate).toList();
    }

    private static CompletableFuture<ApkVerifier.Result> async(Path apk, String part, ApkVerifier.Builder builder) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return run(apk, builder);
            } catch (PackagingException e) {
                throw new CompletionException(e);
            }
        }, CpuThreads.named("packline-apksig-" + part));
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
