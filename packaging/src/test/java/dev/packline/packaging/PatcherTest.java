package dev.packline.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bsdiff patches between releases, the heap budget, and the client flow for channel APKs. */
class PatcherTest {
    @TempDir
    Path directory;

    @Test
    void clientPatchesItsChannelApkByStrippingPatchingMothersAndReinserting() throws Exception {
        Path oldMother = Mothers.V1_V2_V3.build(directory, 600_000, 1);
        Path newMother = Mothers.V1_V2_V3.build(directory, 700_000, 2);
        Channel channel = Channel.of("华为", java.util.Map.of("campaign", "618"));
        Path installed = write(oldMother, channel, directory.resolve("installed.apk"));
        Path published = write(newMother, channel, directory.resolve("published.apk"));

        // server: one patch per release, mother to mother, whatever the number of channels
        Path patch = directory.resolve("old-to-new.bsdiff");
        PatchReport made = Patcher.withDefaultBudget().make(oldMother, newMother, patch);
        assertEquals(Apksig.sha256(newMother), made.newSha256());
        assertTrue(made.patchBytes() < Files.size(newMother), "patch " + made.patchBytes());

        // client: strip its channel, patch, put the channel back
        ChannelInfo own = ChannelReader.read(installed).orElseThrow();
        Path strippedOld = directory.resolve("client-old-mother.apk");
        assertEquals(Apksig.sha256(oldMother), ChannelReader.strip(installed, strippedOld).sha256());
        Path patchedNew = directory.resolve("client-new-mother.apk");
        assertEquals(Apksig.sha256(newMother), Patcher.withDefaultBudget().apply(strippedOld, patch, patchedNew).newSha256());
        Path rebuilt = write(patchedNew, Channel.of(own.name(), own.extras()), directory.resolve("client-new.apk"));

        assertEquals(Apksig.sha256(published), Apksig.sha256(rebuilt), "the client rebuilt exactly the published channel APK");
        Apksig.assertVerifies(rebuilt, List.of("v1", "v2", "v3"));
    }

    @Test
    void patchesApplyWithTheCBspatchToo() throws Exception {
        Path bspatch = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .map(dir -> Path.of(dir, "bspatch")).filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(bspatch != null, "bspatch is not on PATH (Debian package bsdiff); only this compatibility check is skipped");
        Path oldFile = Mothers.V2_ONLY.build(directory, 200_000, 1);
        Path newFile = Mothers.V2_ONLY.build(directory, 250_000, 2);
        Path patch = directory.resolve("p.bsdiff");
        Patcher.withDefaultBudget().make(oldFile, newFile, patch);
        Path out = directory.resolve("by-bspatch.apk");
        Process process = new ProcessBuilder(bspatch.toString(), oldFile.toString(), out.toString(), patch.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), output);
        assertEquals(Apksig.sha256(newFile), Apksig.sha256(out));
    }

    @Test
    void inputsOverTheHeapBudgetAreRefusedBeforeAnyWork() throws Exception {
        Path oldFile = Mothers.V2_ONLY.build(directory, 4_000_000, 1);
        Path newFile = Mothers.V2_ONLY.build(directory, 4_000_000, 2);
        Path patch = directory.resolve("never.bsdiff");
        PackagingException error = assertThrows(PackagingException.class, () -> new Patcher(40L << 20).make(oldFile, newFile, patch));
        assertEquals(PackagingException.Problem.OVER_BUDGET, error.problem());
        assertTrue(error.getMessage().contains("over the 40 MiB budget"), error.getMessage());
        assertTrue(Files.notExists(patch));
        assertTrue(Patcher.diffHeapNeed(4_000_000, 4_000_000) > 40L << 20);
    }

    @Test
    void aPatchDeclaringAHugeOutputIsRefusedFromItsHeader() throws Exception {
        Path oldFile = Mothers.V2_ONLY.build(directory);
        byte[] header = new byte[32];
        System.arraycopy("BSDIFF40".getBytes(), 0, header, 0, 8);
        header[24 + 5] = 1; // 2^40 bytes
        Path patch = Files.write(directory.resolve("huge.bsdiff"), header);
        PackagingException error = assertThrows(PackagingException.class,
                () -> Patcher.withDefaultBudget().apply(oldFile, patch, directory.resolve("out.apk")));
        assertEquals(PackagingException.Problem.OVER_BUDGET, error.problem());
        assertTrue(error.getMessage().contains("1099511627776 bytes"), error.getMessage());
    }

    @Test
    void corruptPatchesAreRefusedAndWriteNothing() throws Exception {
        Path oldFile = Mothers.V2_ONLY.build(directory, 100_000, 1);
        Path newFile = Mothers.V2_ONLY.build(directory, 120_000, 2);
        Path patch = directory.resolve("p.bsdiff");
        Patcher.withDefaultBudget().make(oldFile, newFile, patch);
        byte[] bytes = Files.readAllBytes(patch);
        for (int i = 40; i < bytes.length; i += 7) {
            bytes[i] ^= 0x55;
        }
        Files.write(patch, bytes);
        Path out = directory.resolve("out.apk");
        PackagingException error = assertThrows(PackagingException.class, () -> Patcher.withDefaultBudget().apply(oldFile, patch, out));
        assertTrue(error.getMessage().contains("corrupt"), error.getMessage());
        assertTrue(Files.notExists(out));

        Path notAPatch = Files.writeString(directory.resolve("text.bsdiff"), "hello, this is not a patch at all");
        error = assertThrows(PackagingException.class, () -> Patcher.withDefaultBudget().apply(oldFile, notAPatch, out));
        assertTrue(error.getMessage().contains("not a bsdiff patch"), error.getMessage());
    }

    private static Path write(Path mother, Channel channel, Path output) throws Exception {
        try (ChannelWriter writer = ChannelWriter.open(mother, ChannelWriter.Options.defaults())) {
            return writer.write(channel, output).file();
        }
    }
}
