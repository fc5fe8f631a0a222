package dev.packline.storage.ks3;

import com.ksyun.ks3.dto.GetObjectResult;
import com.ksyun.ks3.dto.Ks3Object;
import com.ksyun.ks3.dto.ObjectMetadata;
import com.ksyun.ks3.dto.PartETag;
import com.ksyun.ks3.exception.Ks3ClientException;
import com.ksyun.ks3.exception.Ks3ServiceException;
import com.ksyun.ks3.http.HttpClientConfig;
import com.ksyun.ks3.service.Ks3Client;
import com.ksyun.ks3.service.Ks3ClientConfig;
import com.ksyun.ks3.service.request.CopyPartRequest;
import com.ksyun.ks3.service.request.InitiateMultipartUploadRequest;
import com.ksyun.ks3.service.request.PutObjectRequest;
import com.ksyun.ks3.service.request.UploadPartRequest;
import dev.packline.storage.CloudStoreSettings;
import dev.packline.storage.StoreErrorKind;
import dev.packline.storage.StoreException;
import dev.packline.storage.multipart.Dialect;
import dev.packline.storage.multipart.Failures;
import dev.packline.storage.multipart.ObjectUrls;
import dev.packline.storage.multipart.ResponseStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Kingsoft KS3 through ks3-kss-java-sdk. Endpoint without scheme plus protocol, path-style where
 * configured, socket and connect timeouts set, the SDK's retries off ({@code MultipartStore}
 * retries). Parts are 5 MB to 5 GB, except the last. The SDK (1.0.2) has no way to close its
 * client, so {@link #close()} closes the HTTP client inside it, found by reflection and skipped
 * with a warning if a future SDK moves it.
 */
public final class Ks3Dialect implements Dialect {
    private static final Logger log = LoggerFactory.getLogger(Ks3Dialect.class);
    private static final long MIN_PART = 5 * CloudStoreSettings.MIB;
    private static final String SHA256_META = "x-kss-meta-sha256";

    private final CloudStoreSettings settings;
    private final Ks3Client client;

    public Ks3Dialect(CloudStoreSettings settings) {
        this.settings = settings;
        Ks3ClientConfig config = new Ks3ClientConfig();
        String host = settings.endpoint().getHost() + (settings.endpoint().getPort() < 0 ? "" : ":" + settings.endpoint().getPort());
        config.setEndpoint(host);
        config.setProtocol(settings.endpoint().getScheme().equals("https") ? Ks3ClientConfig.PROTOCOL.https : Ks3ClientConfig.PROTOCOL.http);
        config.setPathStyleAccess(settings.pathStyle());
        HttpClientConfig http = new HttpClientConfig();
        http.setSocketTimeOut((int) settings.requestTimeout().toMillis());
        http.setConnectionTimeOut((int) settings.connectTimeout().toMillis());
        http.setMaxConnections(settings.concurrency() + 8);
        http.setMaxRetry(0);
        config.setHttpClientConfig(http);
        this.client = new Ks3Client(settings.credentials().accessKeyId(), settings.credentials().accessKeySecret(), config);
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
        meta.setUserMeta(SHA256_META, sha256);
        return client.putObject(new PutObjectRequest(settings.bucket(), objectKey, in, meta)).geteTag();
    }

    @Override
    public String initiate(String objectKey, String sha256) {
        ObjectMetadata meta = new ObjectMetadata();
        meta.setUserMeta(SHA256_META, sha256);
        return client.initiateMultipartUpload(new InitiateMultipartUploadRequest(settings.bucket(), objectKey, meta)).getUploadId();
    }

    @Override
    public String uploadPart(String objectKey, String uploadId, int partNumber, InputStream in, long length, String md5Base64) {
        // the SDK computes and sends the part's Content-MD5 itself and checks the returned ETag against it
        return client.uploadPart(new UploadPartRequest(settings.bucket(), objectKey, uploadId, partNumber, in, length)).geteTag();
    }

    @Override
    public String copyPart(String objectKey, String uploadId, int partNumber, String sourceKey, long offset, long length) {
        CopyPartRequest request = new CopyPartRequest(settings.bucket(), sourceKey, settings.bucket(), objectKey, partNumber, uploadId);
        request.setBeginRange(offset);
        request.setEndRange(offset + length - 1);
        return client.copyPart(request).getETag();
    }

    @Override
    public String complete(String objectKey, String uploadId, List<CompletedPart> parts) {
        List<PartETag> etags = new ArrayList<>();
        parts.forEach(p -> etags.add(new PartETag(p.number(), p.etag())));
        return client.completeMultipartUpload(settings.bucket(), objectKey, uploadId, etags).geteTag();
    }

    @Override
    public void abort(String objectKey, String uploadId) {
        client.abortMultipartUpload(settings.bucket(), objectKey, uploadId);
    }

    @Override
    public Optional<Head> head(String objectKey) {
        try {
            ObjectMetadata meta = client.headObject(settings.bucket(), objectKey).getObjectMetadata();
            return Optional.of(new Head(meta.getContentLength(), meta.getETag(), meta.getUserMeta(SHA256_META)));
        } catch (Ks3ServiceException e) {
            if (e.getStatueCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public InputStream get(String objectKey) {
        GetObjectResult result = client.getObject(settings.bucket(), objectKey);
        Ks3Object object = result.getObject();
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
        if (failure instanceof Ks3ServiceException e) {
            StoreErrorKind kind = Failures.byCode(e.getErrorCode(), e.getStatueCode());
            if (kind == null) {
                kind = Optional.ofNullable(Failures.byCause(e)).orElse(StoreErrorKind.OTHER);
            }
            return new StoreException(kind, settings.name(), what + ": " + e.getErrorCode() + " (HTTP " + e.getStatueCode() + ", "
                    + e.getErrorMessage() + ", request " + e.getRequestId() + ")", failure);
        }
        StoreErrorKind kind = Failures.byCause(failure);
        if (kind == null) {
            kind = failure instanceof Ks3ClientException && failure.getMessage() != null && failure.getMessage().toLowerCase().contains("md5")
                    ? StoreErrorKind.INTEGRITY
                    : failure instanceof Ks3ClientException ? StoreErrorKind.NETWORK : StoreErrorKind.OTHER;
        }
        String cause = failure.getCause() == null ? failure.getClass().getSimpleName() : failure.getCause().getClass().getSimpleName();
        return new StoreException(kind, settings.name(), what + ": " + cause, failure);
    }

    @Override
    public void close() {
        try {
            Field controllerField = Ks3Client.class.getDeclaredField("client");
            controllerField.setAccessible(true);
            Object controller = controllerField.get(client);
            if (controller == null) {
                return;
            }
            Field httpField = controller.getClass().getDeclaredField("client");
            httpField.setAccessible(true);
            if (httpField.get(controller) instanceof Closeable http) {
                http.close();
            }
        } catch (ReflectiveOperationException | RuntimeException | IOException e) {
            log.warn("store {}: could not close the KS3 SDK's HTTP client ({}); its connections close when idle", settings.name(), e.toString());
        }
    }
}
