package dev.packline.storage;

import dev.packline.storage.multipart.Content;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Objects as files under a root directory: the embedded default and the store of the demo. Writes
 * go to a temporary file that is renamed into place, so a reader never sees half an object and a
 * crashed upload leaves no partial file under the key. Its "part copy" is a file-range copy: an
 * object built on a prefix of another copies that prefix from the stored file and writes only the
 * tail, so it reports only the tail as sent, like a cloud store would.
 */
public final class LocalDirectoryStore implements ObjectStore {
    /** Folder of in-progress writes beside the objects, one subfolder per object name. */
    static final String STAGING = ".uploads";

    private final String name;
    private final Path root;
    private final UploadObserver observer;
    private final String publicBaseUrl;

    public LocalDirectoryStore(String name, Path root) throws IOException {
        this(name, root, UploadObserver.NONE);
    }

    public LocalDirectoryStore(String name, Path root, UploadObserver observer) throws IOException {
        this(name, root, observer, null);
    }

    /**
     * @param publicBaseUrl where a web server serves the directory (objects' URLs are it plus the
     *                      key), or null for {@code file://} URLs
     */
    public LocalDirectoryStore(String name, Path root, UploadObserver observer, String publicBaseUrl) throws IOException {
        this.name = name;
        this.root = Files.createDirectories(root).toRealPath();
        this.observer = observer;
        this.publicBaseUrl = publicBaseUrl == null || publicBaseUrl.endsWith("/") ? publicBaseUrl : publicBaseUrl + "/";
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public UploadReport upload(String key, Path file) throws IOException {
        long started = System.nanoTime();
        StoredObject stored;
        try (InputStream in = Files.newInputStream(file)) {
            stored = write(key, in);
        }
        observer.bytesSent(name, stored.size());
        observer.uploaded(name, UploadMode.PLAIN, Duration.ofNanos(System.nanoTime() - started), stored.size());
        return new UploadReport(stored, UploadMode.PLAIN, stored.size(), 0);
    }

    @Override
    public UploadReport uploadWithPrefix(String key, PrefixSource prefix, byte[] tail, String sha256) throws IOException {
        long started = System.nanoTime();
        Path source = resolve(prefix.objectKey());
        boolean copy = Files.isRegularFile(source) && Files.size(source) >= prefix.prefixLength();
        Path from = copy ? source : prefix.localCopy();
        StoredObject stored;
        Content content = Content.prefixAndTail(from, prefix.prefixLength(), tail);
        try (InputStream in = content.open(0, content.length())) {
            stored = write(key, in);
        }
        if (stored.size() != prefix.prefixLength() + tail.length || !stored.sha256().equals(sha256)) {
            delete(key);
            throw new StoreException(StoreErrorKind.INTEGRITY, name, key + " came out as " + stored.size() + " bytes with SHA-256 " + stored.sha256()
                    + ", expected " + (prefix.prefixLength() + tail.length) + " bytes with " + sha256);
        }
        UploadMode mode = copy ? UploadMode.PART_COPY : UploadMode.PLAIN;
        long sent = copy ? tail.length : stored.size();
        observer.bytesSent(name, sent);
        observer.uploaded(name, mode, Duration.ofNanos(System.nanoTime() - started), stored.size());
        return new UploadReport(stored, mode, sent, 0);
    }

    private static void deleteIfEmpty(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException stillUsed) {
            // another write of the folder is under way, or it has leftovers: the next write cleans up
        }
    }

    @Override
    public void abortUpload(String key, String uploadId) {
        // no multipart uploads here: a crashed write leaves only a temporary file, never the key
    }

    private StoredObject write(String key, InputStream content) throws IOException {
        Path target = resolve(key);
        Files.createDirectories(target.getParent());
        // each key writes through its own staging folder: a write killed with its process leaves its
        // temporary file there, and the next write of the key (the job's redelivery) removes it.
        // Removing a concurrent writer's file only makes that writer's move fail, and its job retry.
        Path staging = target.getParent().resolve(STAGING).resolve(target.getFileName().toString());
        if (Files.isDirectory(staging)) {
            try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(staging)) {
                for (Path leftover : leftovers) {
                    Files.deleteIfExists(leftover);
                }
            }
        }
        Path temp = Files.createTempFile(Files.createDirectories(staging), "upload-", ".tmp");
        try {
            MessageDigest sha = sha256();
            long size;
            try (InputStream in = new DigestInputStream(content, sha); OutputStream out = Files.newOutputStream(temp)) {
                size = in.transferTo(out);
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new StoredObject(key, size, HexFormat.of().formatHex(sha.digest()));
        } finally {
            Files.deleteIfExists(temp);
            deleteIfEmpty(staging);
            deleteIfEmpty(staging.getParent());
        }
    }


    @Override
    public Optional<StoredObject> stat(String key) throws IOException {
        Path target = resolve(key);
        if (!Files.isRegularFile(target)) {
            return Optional.empty();
        }
        MessageDigest sha = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(target), sha)) {
            long size = in.transferTo(OutputStream.nullOutputStream());
            return Optional.of(new StoredObject(key, size, HexFormat.of().formatHex(sha.digest())));
        }
    }

    @Override
    public InputStream open(String key) throws IOException {
        try {
            return Files.newInputStream(resolve(key));
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException("no object '" + key + "' in store " + name);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(resolve(key));
    }

    @Override
    public String url(String key) {
        return publicBaseUrl != null ? publicBaseUrl + key : resolve(key).toUri().toString();
    }

    @Override
    public void close() {
        // nothing held open
    }

    public Path root() {
        return root;
    }

    private Path resolve(String key) {
        ObjectStore.requireValidKey(key);
        Path target = root.resolve(key).normalize();
        if (!target.startsWith(root)) {
            throw new IllegalArgumentException("object key '" + key + "' leaves the store's directory");
        }
        return target;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
