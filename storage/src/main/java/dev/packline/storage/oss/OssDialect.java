package dev.packline.storage.oss;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.ClientException;
import com.aliyun.oss.InconsistentException;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.common.comm.Protocol;
import com.aliyun.oss.model.AbortMultipartUploadRequest;
import com.aliyun.oss.model.CompleteMultipartUploadRequest;
import com.aliyun.oss.model.InitiateMultipartUploadRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PartETag;
import com.aliyun.oss.model.PutObjectRequest;
import com.aliyun.oss.model.UploadPartCopyRequest;
import com.aliyun.oss.model.UploadPartRequest;
import dev.packline.storage.CloudStoreSettings;
import dev.packline.storage.StoreErrorKind;
import dev.packline.storage.StoreException;
import dev.packline.storage.multipart.Dialect;
import dev.packline.storage.multipart.Failures;
import dev.packline.storage.multipart.ObjectUrls;
import dev.packline.storage.multipart.ResponseStream;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Aliyun OSS through aliyun-sdk-oss. One client per store, shut down by {@link #close()}; request
 * timeouts enabled (without them a stalled connection blocks a call forever); the SDK's own
 * retries off, because {@code MultipartStore} retries with backoff and counts every attempt;
 * the SDK's CRC64 check stays on, so a part whose CRC64 differs from the server's fails as
 * {@link StoreErrorKind#INTEGRITY}. Downloads are wrapped so closing the stream closes the response.
 */
public final class OssDialect implements Dialect {
    /** OSS accepts 100 KB parts, but part copy and S3-compatible peers need 5 MiB; one rule for both paths. */
    private static final long MIN_PART = 5 * CloudStoreSettings.MIB;
    private static final String SHA256_META = "sha256";

    private final CloudStoreSettings settings;
    private final OSS client;

    public OssDialect(CloudStoreSettings settings) {
        this.settings = settings;
        ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
        conf.setProtocol(settings.endpoint().getScheme().equals("https") ? Protocol.HTTPS : Protocol.HTTP);
        conf.setRequestTimeoutEnabled(true);
        conf.setRequestTimeout((int) settings.requestTimeout().toMillis());
        conf.setSocketTimeout((int) settings.requestTimeout().toMillis());
        conf.setConnectionTimeout((int) settings.connectTimeout().toMillis());
        conf.setConnectionRequestTimeout((int) settings.connectTimeout().toMillis());
        conf.setMaxErrorRetry(0);
        conf.setMaxConnections(settings.concurrency() + 8);
        conf.setSLDEnabled(settings.pathStyle());
        conf.setCrcCheckEnabled(true);
        this.client = new OSSClientBuilder().build(settings.endpoint().toString(), settings.credentials().accessKeyId(),
                settings.credentials().accessKeySecret(), conf);
    }

    @Override
    public long minPartSize() {
        return MIN_PART;
    }

    @Override
    public String putObject(String objectKey, InputStream in, long length, String md5Base64, String sha256) {
        ObjectMetadata meta = new ObjectMetadata();
        meta.setContentLength(length);
        meta.setContentMD5(md5Base64);
        meta.addUserMetadata(SHA256_META, sha256);
        return client.putObject(new PutObjectRequest(settings.bucket(), objectKey, in, meta)).getETag();
    }

    @Override
    public String initiate(String objectKey, String sha256) {
        ObjectMetadata meta = new ObjectMetadata();
        meta.addUserMetadata(SHA256_META, sha256);
        return client.initiateMultipartUpload(new InitiateMultipartUploadRequest(settings.bucket(), objectKey, meta)).getUploadId();
    }

    @Override
    public String uploadPart(String objectKey, String uploadId, int partNumber, InputStream in, long length, String md5Base64) {
        UploadPartRequest request = new UploadPartRequest(settings.bucket(), objectKey, uploadId, partNumber, in, length);
        request.setMd5Digest(md5Base64);
        return client.uploadPart(request).getPartETag().getETag();
    }

    @Override
    public String copyPart(String objectKey, String uploadId, int partNumber, String sourceKey, long offset, long length) {
        UploadPartCopyRequest request = new UploadPartCopyRequest(settings.bucket(), sourceKey, settings.bucket(), objectKey);
        request.setUploadId(uploadId);
        request.setPartNumber(partNumber);
        request.setBeginIndex(offset);
        request.setPartSize(length);
        return client.uploadPartCopy(request).getPartETag().getETag();
    }

    @Override
    public String complete(String objectKey, String uploadId, List<CompletedPart> parts) {
        // the SDK sorts the list it is given in place: hand it a copy
        List<PartETag> etags = new ArrayList<>();
        parts.forEach(p -> etags.add(new PartETag(p.number(), p.etag())));
        return client.completeMultipartUpload(new CompleteMultipartUploadRequest(settings.bucket(), objectKey, uploadId, etags)).getETag();
    }

    @Override
    public void abort(String objectKey, String uploadId) {
        client.abortMultipartUpload(new AbortMultipartUploadRequest(settings.bucket(), objectKey, uploadId));
    }

    @Override
    public Optional<Head> head(String objectKey) {
        try {
            ObjectMetadata meta = client.getObjectMetadata(settings.bucket(), objectKey);
            return Optional.of(new Head(meta.getContentLength(), meta.getETag(), meta.getUserMetadata().get(SHA256_META)));
        } catch (OSSException e) {
            if ("NoSuchKey".equals(e.getErrorCode()) || "NoSuchObject".equals(e.getErrorCode())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public InputStream get(String objectKey) {
        OSSObject object = client.getObject(settings.bucket(), objectKey);
        return new ResponseStream(object.getObjectContent(), object);
    }

    @Override
    public void delete(String objectKey) {
        client.deleteObject(settings.bucket(), objectKey);
    }

    @Override
    public String url(String objectKey) {
        return ObjectUrls.of(settings, objectKey);
    }

    @Override
    public StoreException translate(RuntimeException failure, String what) {
        if (failure instanceof InconsistentException) {
            return new StoreException(StoreErrorKind.INTEGRITY, settings.name(), what + ": CRC64 of the sent bytes differs from the server's", failure);
        }
        if (failure instanceof OSSException e) {
            StoreErrorKind kind = Failures.byCode(e.getErrorCode(), 0);
            if (kind == null) {
                kind = Optional.ofNullable(Failures.byCause(e)).orElse(StoreErrorKind.OTHER);
            }
            return new StoreException(kind, settings.name(), what + ": " + e.getErrorCode() + " (" + e.getErrorMessage() + ", request "
                    + e.getRequestId() + ")", failure);
        }
        if (failure instanceof ClientException e) {
            StoreErrorKind kind = Failures.byCause(e);
            if (kind == null) {
                kind = Optional.ofNullable(Failures.byCode(e.getErrorCode(), 0)).orElse(StoreErrorKind.NETWORK);
            }
            return new StoreException(kind, settings.name(), what + ": " + e.getErrorCode() + " (" + e.getErrorMessage() + ")", failure);
        }
        return new StoreException(Optional.ofNullable(Failures.byCause(failure)).orElse(StoreErrorKind.OTHER), settings.name(),
                what + ": " + failure, failure);
    }

    @Override
    public void close() {
        client.shutdown();
    }
}
