package dev.packline.packaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer shared by many virtual threads, and the prefix-plus-tail view uploaders use. */
class ConcurrentChannelsTest {
    @TempDir
    Path directory;

    @Test
    void virtualThreadsShareOneWriterAndOnlyOneOutputIsVerifiedFully() throws Exception {
        Path mother = Mothers.V1_V2_V3.build(directory, 2_000_000, 3);
        Path out = Files.createDirectories(directory.resolve("out"));
        List<Future<WrittenChannel>> futures = new ArrayList<>();
        try (ChannelWriter writer = ChannelWriter.open(mother, ChannelWriter.Options.defaults());
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 24; i++) {
                Channel channel = Channel.of("渠道-" + i);
                futures.add(threads.submit(() -> writer.write(channel, out.resolve(channel.name() + ".apk"))));
            }
            List<WrittenChannel> written = new ArrayList<>();
            for (Future<WrittenChannel> future : futures) {
                written.add(future.get());
            }
            assertEquals(1, written.stream().filter(w -> w.verification() == WrittenChannel.Verification.APKSIG).count());
            for (WrittenChannel channel : written) {
                Apksig.assertVerifies(channel.file(), List.of("v1", "v2", "v3"));
                assertEquals(channel.channel().name(), ChannelReader.read(channel.file()).orElseThrow().name());
                assertEquals(Apksig.sha256(channel.file()), channel.sha256());
            }
        }
        try (var files = Files.list(out)) {
            assertEquals(24, files.count(), "no partial files are left");
        }
    }

    @Test
    void aBatchReportsInOrderOnlyVerifiedApksAndFailuresInTheirPlace() throws Exception {
        Path mother = Mothers.V2_ONLY.build(directory, 3_000_000, 5);
        Path out = Files.createDirectories(directory.resolve("batch"));
        java.util.Map<Channel, Path> plan = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 40; i++) {
            Channel channel = i == 7 ? Channel.of("with-extras", java.util.Map.of("k", "v")) : Channel.of("batch-" + i);
            plan.put(channel, out.resolve(channel.name() + ".apk"));
        }
        List<ChannelBatch.Outcome> outcomes = new ArrayList<>();
        try (ChannelWriter writer = ChannelWriter.open(mother, new ChannelWriter.Options(ChannelFormat.VASDOLLY))) {
            ChannelBatch.write(writer, plan, outcome -> {
                if (outcome instanceof ChannelBatch.Written written) {
                    assertTrue(Files.exists(written.written().file()), "reported only once renamed into place");
                }
                outcomes.add(outcome);
            });
        }
        assertEquals(new ArrayList<>(plan.keySet()), outcomes.stream().map(ChannelBatch.Outcome::channel).toList());
        ChannelBatch.Failed failed = (ChannelBatch.Failed) outcomes.get(7);
        assertTrue(failed.error().getMessage().contains("vasdolly format cannot carry"), failed.error().getMessage());
        for (ChannelBatch.Outcome outcome : outcomes) {
            if (outcome instanceof ChannelBatch.Written written) {
                Apksig.assertVerifies(written.written().file(), List.of("v2"));
                assertEquals(written.channel().name(), ChannelReader.read(written.written().file()).orElseThrow().name());
            }
        }
        try (var files = Files.list(out)) {
            assertEquals(39, files.count(), "39 outputs and no partial file");
        }
    }

    @Test
    void whenTheMotherDoesNotVerifyEveryChannelOfTheBatchFailsAndNothingIsLeft() throws Exception {
        Path mother = Mothers.V2_ONLY.build(directory, 500_000, 6);
        try (var file = java.nio.channels.FileChannel.open(mother, java.nio.file.StandardOpenOption.WRITE)) {
            file.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), 100_000);
        }
        Path out = Files.createDirectories(directory.resolve("bad"));
        java.util.Map<Channel, Path> plan = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            plan.put(Channel.of("c" + i), out.resolve("c" + i + ".apk"));
        }
        List<ChannelBatch.Outcome> outcomes = new ArrayList<>();
        try (ChannelWriter writer = ChannelWriter.open(mother, ChannelWriter.Options.defaults())) {
            ChannelBatch.write(writer, plan, outcomes::add);
        }
        assertEquals(5, outcomes.size());
        for (ChannelBatch.Outcome outcome : outcomes) {
            PackagingException error = ((ChannelBatch.Failed) outcome).error();
            assertEquals(PackagingException.Problem.NOT_SIGNED, error.problem(), error.getMessage());
        }
        try (var files = Files.list(out)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void theTailPlusTheMothersPrefixIsTheChannelApk() throws Exception {
        Path mother = Mothers.V31_KEY_ROTATION.build(directory, 1_000_000, 4);
        try (ChannelWriter writer = ChannelWriter.open(mother, new ChannelWriter.Options(ChannelFormat.BOTH))) {
            Channel channel = Channel.of("应用宝");
            ChannelTail tail = writer.tail(channel);
            WrittenChannel written = writer.write(channel, directory.resolve("written.apk"));

            byte[] motherBytes = Files.readAllBytes(mother);
            ByteArrayOutputStream assembled = new ByteArrayOutputStream();
            assembled.write(motherBytes, 0, (int) tail.prefixLength());
            try (InputStream stream = tail.openTail()) {
                stream.transferTo(assembled);
            }
            assertArrayEquals(Files.readAllBytes(written.file()), assembled.toByteArray());
            assertEquals(written.bytes(), tail.totalLength());
            assertTrue(tail.tailLength() < 16_384, "the tail is the block and the directory, not the APK: " + tail.tailLength());
            assertTrue(tail.prefixLength() > 1_000_000);
        }
    }
}
