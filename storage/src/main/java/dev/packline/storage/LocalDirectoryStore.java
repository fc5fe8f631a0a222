package dev.packline.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Objects as files under a root directory: the embedded default and the store of the demo. Writes
 * go to a temporary file that is renamed into place, so a reader never sees half an object and a
 * crashed upload leaves no partial file under the key.
 */
public final class LocalDirectoryStore implements ObjectStore {
    private final String name;
    private final Path root;

    public LocalDirectoryStore(String name, Path root) throws IOException {
        this.name = name;
        this.root = Files.createDirectories(root).toRealPath();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public StoredObject put(String key, Path file) throws IOException {
        Path target = resolve(key);
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempFile(target.getParent(), ".upload-", ".tmp");
        try {
            MessageDigest sha = sha256();
            long size;
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha); OutputStream out = Files.newOutputStream(temp)) {
                size = in.transferTo(out);
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new StoredObject(key, size, HexFormat.of().formatHex(sha.digest()));
        } finally {
            Files.deleteIfExists(temp);
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
        return resolve(key).toUri().toString();
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
