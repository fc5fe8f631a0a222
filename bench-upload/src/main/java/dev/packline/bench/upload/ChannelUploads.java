package dev.packline.bench.upload;

import dev.packline.packaging.Channel;
import dev.packline.packaging.ChannelTail;
import dev.packline.packaging.ChannelWriter;
import dev.packline.packaging.PackagingException;
import dev.packline.packaging.WrittenChannel;
import dev.packline.storage.ObjectStore;
import dev.packline.storage.PrefixSource;
import dev.packline.storage.StoredObject;
import dev.packline.storage.UploadMode;
import dev.packline.storage.UploadReport;
import dev.packline.storage.s3proxy.DialectAdapter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Phase two, what the upload stage does per channel, two ways side by side (alternating which goes
 * first): with part copy ({@code uploadWithPrefix} on the staged mother: the prefix copied
 * server-side, only the tail sent, as with {@code upload.zeroCopy} on) and without (the whole
 * channel APK uploaded, as with it off). Bytes sent come from the store's {@link UploadReport} and,
 * independently, from the request bodies the adapter received. The channel APK is also written
 * locally with {@link ChannelWriter#write} (verified as {@code channel write} does); the first
 * {@code downloadChecks} part-copy objects are downloaded and compared with it byte for byte, and
 * every object's size and SHA-256 must be the local APK's. One channel's files and objects exist
 * at a time, so disk use does not grow with the channel count.
 */
final class ChannelUploads {
    private ChannelUploads() {
    }

    static Map<String, Object> run(ObjectStore store, DialectAdapter adapter, Path mother, Path work, int channels, int downloadChecks)
            throws IOException, PackagingException {
        List<Long> partCopySent = new ArrayList<>();
        List<Long> partCopyBodies = new ArrayList<>();
        List<Long> wholeSent = new ArrayList<>();
        List<Long> wholeBodies = new ArrayList<>();
        List<Double> partCopySeconds = new ArrayList<>();
        List<Double> wholeSeconds = new ArrayList<>();
        long channelBytes = 0;
        int downloadedEqual = 0;
        try (ChannelWriter writer = ChannelWriter.open(mother, ChannelWriter.Options.defaults())) {
            for (int i = 0; i < channels; i++) {
                Channel channel = Channel.of("bench-" + i);
                ChannelTail tail = writer.tail(channel);
                WrittenChannel local = writer.write(channel, work.resolve("channel.apk"));
                if (local.bytes() != tail.totalLength()) {
                    throw new IllegalStateException("channel " + channel.name() + ": the written APK has " + local.bytes()
                            + " bytes, its prefix plus tail " + tail.totalLength());
                }
                channelBytes = local.bytes();
                String partCopyKey = "channels/part-copy/bench-" + i + ".apk";
                String wholeKey = "channels/whole/bench-" + i + ".apk";
                for (boolean partCopySide : i % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                    adapter.clearReceived();
                    long started = System.nanoTime();
                    UploadReport report = partCopySide
                            ? store.uploadWithPrefix(partCopyKey, new PrefixSource(MotherUploads.STAGED_MOTHER, mother, tail.prefixLength()),
                                    tail.tailBytes(), local.sha256())
                            : store.upload(wholeKey, local.file());
                    double seconds = (System.nanoTime() - started) / 1e9;
                    long bodies = adapter.received().stream().mapToLong(DialectAdapter.Received::bodyBytes).sum();
                    requireMode(store, channel, report, partCopySide ? UploadMode.PART_COPY : UploadMode.MULTIPART);
                    requireSame(store, partCopySide ? partCopyKey : wholeKey, local);
                    (partCopySide ? partCopySent : wholeSent).add(report.bytesSent());
                    (partCopySide ? partCopyBodies : wholeBodies).add(bodies);
                    (partCopySide ? partCopySeconds : wholeSeconds).add(seconds);
                }
                if (i < downloadChecks) {
                    requireEqualDownload(store, partCopyKey, local.file());
                    downloadedEqual++;
                }
                store.delete(partCopyKey);
                store.delete(wholeKey);
                Files.delete(local.file());
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("channelBytes", channelBytes);
        json.put("partCopyBytesSentPerChannel", Math.round(Figures.median(partCopySent)));
        json.put("partCopyBytesSentMax", partCopySent.stream().mapToLong(Long::longValue).max().orElse(0));
        json.put("partCopyRequestBodyBytesPerChannel", Math.round(Figures.median(partCopyBodies)));
        json.put("wholeBytesSentPerChannel", Math.round(Figures.median(wholeSent)));
        json.put("wholeRequestBodyBytesPerChannel", Math.round(Figures.median(wholeBodies)));
        json.put("bytesSentRatio", Figures.round(Figures.median(wholeSent) / Figures.median(partCopySent)));
        json.put("partCopySecondsPerChannel", Figures.round(Figures.median(partCopySeconds)));
        json.put("wholeSecondsPerChannel", Figures.round(Figures.median(wholeSeconds)));
        json.put("channelsUploaded", partCopySent.size());
        json.put("channelsDownloadedEqual", downloadedEqual);
        return json;
    }

    private static void requireMode(ObjectStore store, Channel channel, UploadReport report, UploadMode expected) {
        if (report.mode() != expected) {
            throw new IllegalStateException(store.name() + ": channel " + channel.name() + " went " + report.mode().label() + ", expected "
                    + expected.label() + (expected == UploadMode.PART_COPY ? " (is the staged mother missing?)" : ""));
        }
    }

    /** What the store says it holds: the local channel APK's size and SHA-256. */
    private static void requireSame(ObjectStore store, String key, WrittenChannel local) throws IOException {
        StoredObject stored = store.stat(key).orElseThrow(() -> new IllegalStateException(store.name() + ": " + key + " is missing after its upload"));
        if (stored.size() != local.bytes() || !stored.sha256().equals(local.sha256())) {
            throw new IllegalStateException(store.name() + ": " + key + " holds " + stored.size() + " bytes with SHA-256 " + stored.sha256()
                    + ", the local channel APK " + local.bytes() + " bytes with " + local.sha256());
        }
    }

    /** Downloads the object and compares it with the local file, byte for byte. */
    private static void requireEqualDownload(ObjectStore store, String key, Path local) throws IOException {
        byte[] expected = new byte[1 << 20];
        byte[] actual = new byte[1 << 20];
        long offset = 0;
        try (InputStream remote = store.open(key); InputStream file = Files.newInputStream(local)) {
            while (true) {
                int want = file.readNBytes(expected, 0, expected.length);
                int got = remote.readNBytes(actual, 0, want == 0 ? 1 : want);
                if (want == 0 && got == 0) {
                    return;
                }
                if (got != want || !Arrays.equals(expected, 0, want, actual, 0, got)) {
                    throw new IllegalStateException(store.name() + ": downloaded " + key + " differs from the local channel APK " + local
                            + " within the " + (1 << 20) + " bytes at offset " + offset);
                }
                offset += want;
            }
        }
    }
}
