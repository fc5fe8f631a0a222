package dev.packline.storage;

import dev.packline.storage.s3proxy.CloudFixture;
import dev.packline.storage.s3proxy.DialectAdapter;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract on Aliyun OSS: the real aliyun-sdk-oss client against S3Proxy through the OSS adapter. */
class OssStoreTest extends ObjectStoreContract {
    @Override
    ObjectStore store() throws Exception {
        return CloudFixture.open(DialectAdapter.Dialect.OSS, CloudFixture.newBucket(), null, UploadObserver.NONE);
    }

    @Override
    long minCopyPrefix() {
        return 5 * CloudFixture.MIB;
    }

    @Test
    void aLargeUploadTellsTheBytesItHasSentAsItGoes() throws Exception {
        Path file = Files.write(temp.resolve("large.apk"), randomBytes(12 * 1024 * 1024 + 7, 3));
        List<Long> told = new CopyOnWriteArrayList<>();
        try (ObjectStore store = store()) {
            UploadReport report = store.upload("large/game.apk", file, told::add);
            assertEquals(report.bytesSent(), told.stream().mapToLong(Long::longValue).max().orElse(-1), "the last figure is all that was sent");
            assertTrue(told.stream().anyMatch(n -> n < report.bytesSent() / 2), "figures came while the upload ran, not only at its end: "
                    + told.size() + " figures");
        }
    }
}
