package dev.packline.storage;

import dev.packline.storage.s3proxy.CloudFixture;
import dev.packline.storage.s3proxy.DialectAdapter;

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
}
