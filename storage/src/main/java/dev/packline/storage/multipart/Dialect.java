package dev.packline.storage.multipart;

import dev.packline.storage.StoreException;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * One provider's SDK calls, nothing else: {@link MultipartStore} plans parts, retries, limits
 * concurrency, journals progress and checks results, the same for every provider. Methods throw
 * the SDK's own runtime exceptions; {@link #translate} names their kind. Object keys passed here
 * already include the store's prefix. Implementations keep one SDK client, closed by {@link #close}.
 */
public interface Dialect extends AutoCloseable {

    /** What the store says about an object: size, ETag, and the SHA-256 we stored as metadata (null when someone else wrote it). */
    record Head(long size, String etag, String sha256) {
    }

    record CompletedPart(int number, String etag) {
    }

    /** The smallest part the store accepts, except for the last part. */
    long minPartSize();

    /** Sends the content in one request with its Content-MD5 and SHA-256 metadata; returns the ETag. */
    String putObject(String objectKey, InputStream in, long length, String md5Base64, String sha256);

    /** Starts a multipart upload whose object will carry the SHA-256 metadata; returns the upload id. */
    String initiate(String objectKey, String sha256);

    String uploadPart(String objectKey, String uploadId, int partNumber, InputStream in, long length, String md5Base64);

    /** Copies {@code length} bytes at {@code offset} of {@code sourceKey} into a part, server-side; returns the part's ETag. */
    String copyPart(String objectKey, String uploadId, int partNumber, String sourceKey, long offset, long length);

    /** Completes the upload with the parts in order; returns the object's ETag. */
    String complete(String objectKey, String uploadId, List<CompletedPart> parts);

    void abort(String objectKey, String uploadId);

    /** Empty when there is no such object. */
    Optional<Head> head(String objectKey);

    InputStream get(String objectKey);

    void delete(String objectKey);

    String url(String objectKey);

    /** The failure as a {@link StoreException} of the right kind; {@code what} names the operation and object. */
    StoreException translate(RuntimeException failure, String what);


    @Override
    void close();
}
