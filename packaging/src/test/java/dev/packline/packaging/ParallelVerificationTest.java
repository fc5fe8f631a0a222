package dev.packline.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.android.apksig.ApkSigner;
import dev.packline.packaging.internal.apk.SignatureCheck;
import dev.packline.packaging.sample.SampleApkBuilder;
import dev.packline.packaging.sample.SampleKey;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The two-halves verification the channel writer runs on its reference output gives apksig's own
 * full verdict: the same schemes and signers on every kind of mother, and a failure wherever the full
 * run fails, including the check that joins the halves (v1 and v2 signed by different keys).
 */
class ParallelVerificationTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = Mothers.class, names = {"V1_V2_V3", "V2_ONLY", "V3_ONLY", "V1_ONLY_TARGET_29", "V31_KEY_ROTATION", "VERITY"})
    void givesTheFullVerdictOnEveryKindOfMother(Mothers kind) throws Exception {
        Path apk = kind.build(dir);
        int minSdk = ManifestFacts.read(apk).minSdk();

        SignatureReport full = SignatureCheck.verify(apk, Optional.empty());
        SignatureReport parallel = SignatureCheck.verifyInParallel(apk, minSdk);

        assertTrue(full.verified(), full.errors().toString());
        assertEquals(full, parallel);
    }

    @Test
    void failsLikeTheFullRunWhenAnEntryWasTamperedWith() throws Exception {
        Path apk = Mothers.V1_V2_V3.build(dir);
        try (RandomAccessFile file = new RandomAccessFile(apk.toFile(), "rw")) {
            file.seek(40_000); // inside the stored payload entries
            int b = file.read();
            file.seek(40_000);
            file.write(b ^ 0xff);
        }
        assertFalse(SignatureCheck.verify(apk, Optional.empty()).verified());
        SignatureReport parallel = SignatureCheck.verifyInParallel(apk, 21);
        assertFalse(parallel.verified());
        assertFalse(parallel.errors().isEmpty());
    }

    @Test
    void failsWhenV1AndV2AreSignedByDifferentKeys() throws Exception {
        SampleKey other = SampleKey.generate("someone-else");
        Path v1Only = new SampleApkBuilder().sdk(21, 29).schemes(true, false, false).key(Mothers.KEY).build(dir.resolve("v1.apk"));
        // sign it again with another key, v1 and v2, keeping the first key's v1 signature: v1 then has
        // two signers and v2 one
        Path mixed = dir.resolve("mixed.apk");
        new ApkSigner.Builder(List.of(new ApkSigner.SignerConfig.Builder(other.name(), other.keyPair().getPrivate(),
                List.of(other.certificate())).build()))
                .setInputApk(v1Only.toFile()).setOutputApk(mixed.toFile()).setOtherSignersSignaturesPreserved(true)
                .setV1SigningEnabled(true).setV2SigningEnabled(true).setV3SigningEnabled(false)
                .build().sign();

        SignatureReport full = SignatureCheck.verify(mixed, Optional.empty());
        SignatureReport parallel = SignatureCheck.verifyInParallel(mixed, 21);

        assertFalse(full.verified(), "apksig refuses v1 and v2 signers that differ");
        assertFalse(parallel.verified(), "the joined halves refuse them too");
        assertTrue(String.join(";", parallel.errors()).contains("differ from v2 signers"), parallel.errors().toString());
    }
}
