package dev.packline.storage.s3proxy;

import dev.packline.storage.CloudStoreSettings;
import dev.packline.storage.CloudStores;
import dev.packline.storage.ObjectStore;
import dev.packline.storage.UploadJournal;
import dev.packline.storage.UploadObserver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One S3Proxy for the test JVM and one adapter per dialect in front of it. Each store a test opens
 * gets a fresh bucket, so tests never see each other's objects.
 */
public final class CloudFixture {
    public static final long MIB = CloudStoreSettings.MIB;
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static S3ProxyServer server;
    private static final Map<DialectAdapter.Dialect, DialectAdapter> ADAPTERS = new EnumMap<>(DialectAdapter.Dialect.class);

    private CloudFixture() {
    }

    public static synchronized S3ProxyServer server() throws Exception {
        if (server == null) {
            Path dir = Files.createTempDirectory("packline-s3proxy");
            server = new S3ProxyServer(dir);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (Exception ignored) {
                    // the JVM is going away
                }
            }));
        }
        return server;
    }

    public static synchronized DialectAdapter adapter(DialectAdapter.Dialect dialect) throws Exception {
        DialectAdapter adapter = ADAPTERS.get(dialect);
        if (adapter == null) {
            adapter = new DialectAdapter(dialect, server().endpoint());
            ADAPTERS.put(dialect, adapter);
        }
        return adapter;
    }

    public static String newBucket() throws Exception {
        String bucket = "packline-test-" + BUCKETS.incrementAndGet();
        server().createBucket(bucket);
        return bucket;
    }

    public static CloudStoreSettings settings(DialectAdapter.Dialect dialect, String name, String bucket) throws Exception {
        return new CloudStoreSettings(name, dialect == DialectAdapter.Dialect.OSS ? CloudStoreSettings.Kind.OSS : CloudStoreSettings.Kind.KS3,
                adapter(dialect).endpoint(), bucket, "apps", new CloudStoreSettings.Credentials("test-access-key", "test-secret-key"),
                true, 5 * MIB, 5 * MIB, 5 * MIB, 4, Duration.ofSeconds(3), Duration.ofSeconds(2), 4, null);
    }

    public static ObjectStore open(DialectAdapter.Dialect dialect, String bucket, UploadJournal journal, UploadObserver observer) throws Exception {
        return CloudStores.open(settings(dialect, dialect.name().toLowerCase() + "-test", bucket), journal, observer, Clock.systemUTC());
    }
}
