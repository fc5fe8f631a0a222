package dev.packline.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where channel APKs and patches go. Keys are relative paths with '/' separators; a key with
 * {@code ..}, a leading '/', a backslash or control characters is refused. Writing a key that
 * exists replaces it (uploads are retried, so a put must be idempotent). Implementations are
 * thread-safe and shared by all jobs of a worker; {@link #close()} releases their clients.
 *
 * <p>Every write is checked before it returns: the object's size and checksum must be what was
 * sent, otherwise it throws {@link StoreException} of kind {@link StoreErrorKind#INTEGRITY}.
 * Failures are {@link StoreException}s whose kind says whether a retry can help.
 */
public interface ObjectStore extends AutoCloseable {

    /** The name the configuration gives this store (requests name their output store by it). */
    String name();

    /** Stores the file's content under the key and returns what was stored, checked. */
    default StoredObject put(String key, Path file) throws IOException {
        return upload(key, file).stored();
    }

    /**
     * Stores the file's content under the key: one request below the store's multipart threshold,
     * concurrent parts above it, continuing an interrupted multipart upload of the same content
     * where the store keeps an upload journal.
     */
    UploadReport upload(String key, Path file) throws IOException;

    /**
     * As {@link #upload(String, Path)}, telling {@code sentBytes} how many bytes this upload has sent
     * so far each time it grows (from the upload's threads: quick and thread-safe), so a job can show
     * the progress of a large file. A store that cannot tell uploads without telling.
     */
    default UploadReport upload(String key, Path file, java.util.function.LongConsumer sentBytes) throws IOException {
        return upload(key, file);
    }

    /**
     * Stores an object made of the first {@code prefix.prefixLength()} bytes of an object the store
     * already holds followed by {@code tail}, whose SHA-256 the caller knows. Where the store can
     * copy ranges server-side and the prefix is large enough for its part rules, only the tail is
     * sent ({@link UploadMode#PART_COPY}); otherwise the whole content is uploaded from the local
     * copy of the prefix, and the report says so.
     */
    UploadReport uploadWithPrefix(String key, PrefixSource prefix, byte[] tail, String sha256) throws IOException;

    /** Aborts a multipart upload that nobody will finish (the janitor's job); a no-op where there are none. */
    void abortUpload(String key, String uploadId) throws IOException;

    Optional<StoredObject> stat(String key) throws IOException;

    InputStream open(String key) throws IOException;

    void delete(String key) throws IOException;

    /** Where a client downloads the object from. */
    String url(String key);

    @Override
    void close();

    /** Throws IllegalArgumentException naming what is wrong with a key. */
    static void requireValidKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("object key is empty");
        }
        if (key.startsWith("/") || key.contains("\\") || key.contains("//")) {
            throw new IllegalArgumentException("object key '" + key + "' must be a relative path with single '/' separators");
        }
        for (String part : key.split("/")) {
            if (part.equals("..") || part.equals(".")) {
                throw new IllegalArgumentException("object key '" + key + "' must not contain '.' or '..' segments");
            }
        }
        if (key.codePoints().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("object key contains control characters");
        }
        if (key.length() > 1024) {
            throw new IllegalArgumentException("object key is longer than 1024 characters");
        }
    }
}
