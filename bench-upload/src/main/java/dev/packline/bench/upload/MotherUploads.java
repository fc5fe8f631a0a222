package dev.packline.bench.upload;

import dev.packline.storage.ObjectStore;
import dev.packline.storage.UploadMode;
import dev.packline.storage.UploadReport;
import dev.packline.storage.s3proxy.DialectAdapter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Phase one: the mother's multipart upload beside one plain PUT of the same file through the same
 * endpoint, {@code rounds} times, alternating which goes first so neither always meets a warmer page
 * cache or a quieter machine. One unmeasured upload per side comes first: the first multipart
 * upload of a JVM ran at a third of the later ones' speed (class loading, JIT, new connections).
 * Each side overwrites its own key every round; the multipart object left at the end is the staged
 * mother the channels' part copies read from.
 */
final class MotherUploads {
    static final String STAGED_MOTHER = "staging/mother.apk";
    private static final String PLAIN_MOTHER = "plain/mother.apk";

    private MotherUploads() {
    }

    static Map<String, Object> run(ObjectStore multipart, ObjectStore plain, DialectAdapter adapter, Path mother, long motherBytes, int rounds)
            throws IOException {
        List<Double> multipartRates = new ArrayList<>();
        List<Double> plainRates = new ArrayList<>();
        long multipartNanos = 0;
        long plainNanos = 0;
        int parts = 0;
        multipart.upload(STAGED_MOTHER, mother);
        plain.upload(PLAIN_MOTHER, mother);
        for (int round = 0; round < rounds; round++) {
            for (boolean multipartSide : round % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                adapter.clearReceived();
                long started = System.nanoTime();
                UploadReport report = multipartSide ? multipart.upload(STAGED_MOTHER, mother) : plain.upload(PLAIN_MOTHER, mother);
                long nanos = System.nanoTime() - started;
                UploadMode expected = multipartSide ? UploadMode.MULTIPART : UploadMode.PLAIN;
                if (report.mode() != expected || report.stored().size() != motherBytes || report.bytesSent() < motherBytes) {
                    throw new IllegalStateException(multipart.name() + ": the mother went " + report.mode().label() + " with " + report.bytesSent()
                            + " bytes sent for " + report.stored().size() + " stored; expected " + expected.label() + " of " + motherBytes);
                }
                double rate = Figures.mibPerSecond(motherBytes, nanos);
                if (multipartSide) {
                    multipartRates.add(rate);
                    multipartNanos += nanos;
                    parts = (int) adapter.received().stream().filter(DialectAdapter.Received::isPartUpload).count();
                } else {
                    plainRates.add(rate);
                    plainNanos += nanos;
                }
            }
        }
        plain.delete(PLAIN_MOTHER);
        Map<String, Object> json = new LinkedHashMap<>();
        double multipartMedian = Figures.median(multipartRates);
        double plainMedian = Figures.median(plainRates);
        json.put("multipartParts", parts);
        json.put("multipartMiBPerSecond", Figures.round(multipartMedian));
        json.put("plainPutMiBPerSecond", Figures.round(plainMedian));
        json.put("multipartToPlainRatio", Figures.round(multipartMedian / plainMedian));
        json.put("multipartMiBPerSecondRounds", multipartRates.stream().map(Figures::round).toList());
        json.put("plainPutMiBPerSecondRounds", plainRates.stream().map(Figures::round).toList());
        json.put("multipartSeconds", Figures.round(multipartNanos / 1e9));
        json.put("plainPutSeconds", Figures.round(plainNanos / 1e9));
        return json;
    }
}
