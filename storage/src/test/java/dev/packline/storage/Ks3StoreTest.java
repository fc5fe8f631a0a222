package dev.packline.storage;

import dev.packline.storage.s3proxy.CloudFixture;
import dev.packline.storage.s3proxy.DialectAdapter;

/** The contract on Kingsoft KS3: the real ks3-kss-java-sdk client against S3Proxy through the KS3 adapter. */
class Ks3StoreTest extends ObjectStoreContract {
    @Override
    ObjectStore store() throws Exception {
        return CloudFixture.open(DialectAdapter.Dialect.KS3, CloudFixture.newBucket(), null, UploadObserver.NONE);
    }

    @Override
    long minCopyPrefix() {
        return 5 * CloudFixture.MIB;
    }
}
