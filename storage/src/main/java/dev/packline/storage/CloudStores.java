package dev.packline.storage;

import dev.packline.storage.ks3.Ks3Dialect;
import dev.packline.storage.multipart.Dialect;
import dev.packline.storage.multipart.MultipartStore;
import dev.packline.storage.oss.OssDialect;

import java.time.Clock;
import java.time.Duration;

/** Opens a configured OSS or KS3 store: one SDK client for the store's life, its uploads journaled where a journal is given. */
public final class CloudStores {
    private CloudStores() {
    }

    /** @throws IllegalArgumentException listing every problem with the settings */
    public static ObjectStore open(CloudStoreSettings settings, UploadJournal journal, UploadObserver observer, Clock clock) {
        var problems = settings.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        Dialect dialect = switch (settings.kind()) {
            case OSS -> new OssDialect(settings);
            case KS3 -> new Ks3Dialect(settings);
        };
        MultipartStore.Options options = new MultipartStore.Options(settings.partSize(), settings.multipartThreshold(), settings.copyPartSize(),
                settings.concurrency(), settings.maxAttempts(), Duration.ofMillis(200), Duration.ofSeconds(10));
        return new MultipartStore(settings.name(), settings.prefix(), dialect, options, journal, observer, clock);
    }
}
