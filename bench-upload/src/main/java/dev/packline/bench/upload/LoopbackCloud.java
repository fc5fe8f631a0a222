package dev.packline.bench.upload;

import dev.packline.storage.CloudStoreSettings;
import dev.packline.storage.CloudStores;
import dev.packline.storage.ObjectStore;
import dev.packline.storage.UploadJournal;
import dev.packline.storage.UploadObserver;
import dev.packline.storage.s3proxy.DialectAdapter;
import dev.packline.storage.s3proxy.DialectAdapter.Dialect;
import dev.packline.storage.s3proxy.S3ProxyServer;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The object stores the benchmark measures: one S3Proxy on loopback with a filesystem backend and,
 * in front of it, one dialect adapter per provider, so the real OSS and KS3 SDK clients talk to it
 * exactly as in storage's tests. Each dialect gets its own bucket. Closing stops the adapters and
 * S3Proxy; the caller removes the directory.
 */
final class LoopbackCloud implements AutoCloseable {
    private final S3ProxyServer server;
    private final Map<Dialect, DialectAdapter> adapters = new EnumMap<>(Dialect.class);

    LoopbackCloud(Path directory) throws Exception {
        this.server = new S3ProxyServer(directory);
    }

    /** The adapter for a dialect (started on first use); it also records every request body it received. */
    synchronized DialectAdapter adapter(Dialect dialect) throws Exception {
        DialectAdapter adapter = adapters.get(dialect);
        if (adapter == null) {
            adapter = new DialectAdapter(dialect, server.endpoint());
            adapters.put(dialect, adapter);
            server.createBucket(bucket(dialect));
        }
        return adapter;
    }

    /**
     * A store as the worker opens one from configuration, on the dialect's adapter and bucket.
     * {@code multipartThreshold} decides plain or multipart: {@code Long.MAX_VALUE} makes every
     * upload one plain PUT.
     */
    ObjectStore open(Dialect dialect, String name, long partSize, long multipartThreshold, int concurrency, UploadJournal journal)
            throws Exception {
        CloudStoreSettings settings = new CloudStoreSettings(name, dialect == Dialect.OSS ? CloudStoreSettings.Kind.OSS : CloudStoreSettings.Kind.KS3,
                adapter(dialect).endpoint(), bucket(dialect), "bench", new CloudStoreSettings.Credentials("bench-access-key", "bench-secret-key"),
                true, partSize, multipartThreshold, 1024 * CloudStoreSettings.MIB, concurrency,
                // generous: a plain PUT of a few hundred MB passes through the adapter, which buffers whole bodies
                Duration.ofMinutes(5), Duration.ofSeconds(10), 3, null);
        return CloudStores.open(settings, journal, UploadObserver.NONE, Clock.systemUTC());
    }

    private static String bucket(Dialect dialect) {
        return "packline-bench-" + dialect.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() throws Exception {
        for (DialectAdapter adapter : adapters.values()) {
            adapter.close();
        }
        server.close();
    }
}
