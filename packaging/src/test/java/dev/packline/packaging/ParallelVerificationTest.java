package dev.packline.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.android.apksig.ApkSigner;
import dev.packline.packaging.internal.apk.ApkLayout;
import dev.packline.packaging.internal.apk.SignatureCheck;
import dev.packline.packaging.internal.apk.SigningBlock;
import dev.packline.packaging.sample.SampleApkBuilder;
import dev.packline.packaging.sample.SampleKey;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The verification per platform range the channel writer runs on its reference output gives
 * apksig's own full verdict: the same schemes and signers on every kind of mother, and a failure
 * wherever the full run fails, including the checks that join the ranges (v1 and v2 signed by
 * different keys; v3 signed by another key than v2, with no lineage).
 */
class ParallelVerificationTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = Mothers.class, names = {"V1_V2_V3", "V2_ONLY", "V3_ONLY", "V1_ONLY_TARGET_29", "V31_KEY_ROTATION", "VERITY", "V4_WITH_IDSIG"})
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

    @Test
    void failsLikeTheFullRunWhenV3IsSignedByAnotherKeyThanV2() throws Exception {
        // the same entries signed v2+v3 by two keys; the first's signing block then gets the second's v3 pair
        SampleKey other = SampleKey.generate("someone-else");
        SampleApkBuilder template = new SampleApkBuilder().sdk(24, 33).schemes(false, true, true).payloadBytes(2_000_000).seed(7);
        ApkLayout mine = ApkLayout.read(template.key(Mothers.KEY).build(dir.resolve("mine.apk")));
        ApkLayout theirs = ApkLayout.read(template.key(other).build(dir.resolve("theirs.apk")));
        assertEquals(mine.prefixLength(), theirs.prefixLength(), "the same entries, so the same content digests");
        List<SigningBlock.Pair> pairs = new ArrayList<>();
        for (SigningBlock.Pair pair : mine.signingBlock().orElseThrow().pairs()) {
            pairs.add(pair.id() == SigningBlock.V3_ID ? theirs.signingBlock().orElseThrow().find(SigningBlock.V3_ID).orElseThrow() : pair);
        }
        byte[] block = SigningBlock.of(mine.prefixLength(), pairs).encode();
        Path mixed = dir.resolve("mixed-v3.apk");
        try (FileChannel in = FileChannel.open(mine.path()); FileChannel out = FileChannel.open(mixed, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            in.transferTo(0, mine.prefixLength(), out);
            out.write(ByteBuffer.wrap(block));
            out.write(ByteBuffer.wrap(mine.tail().movedTo(mine.prefixLength() + block.length)));
        }
        assertTrue(SignatureCheck.verify(theirs.path(), Optional.empty()).verified(), "the second key's own APK verifies");

        SignatureReport full = SignatureCheck.verify(mixed, Optional.empty());
        SignatureReport parallel = SignatureCheck.verifyInParallel(mixed, 24);

        assertFalse(full.verified(), "apksig refuses a v3 signer that is not the v2 signer: " + full.errors());
        assertFalse(parallel.verified(), "the joined ranges refuse it too");
        assertTrue(String.join(";", parallel.errors()).contains("differs from the v2 signer"), parallel.errors().toString());
    }
}
