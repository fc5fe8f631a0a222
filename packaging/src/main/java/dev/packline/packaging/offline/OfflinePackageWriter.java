package dev.packline.packaging.offline;

import static dev.packline.packaging.PackagingException.Problem.INVALID_ARGUMENT;
import static dev.packline.packaging.PackagingException.Problem.IO;

import dev.packline.packaging.PackagingException;
import dev.packline.packaging.internal.io.FileRegions;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes offline packages: a deflated zip whose entries are sorted by path with a fixed timestamp
 * (so the same content gives the same bytes), with the manifest Packline computes from the content
 * first. Used by {@code offline pack}, by the patch applier for the package it rebuilds, and by the
 * benchmark and tests.
 */
public final class OfflinePackageWriter {
    /** What a manifest says besides its files. */
    public record Identity(String id, String version, PackageRole role, Optional<String> requiresCommon, LoadingStrategy loading) {
    }

    /** Packs every regular file under {@code directory} (symbolic links are refused) into {@code out}. */
    public OfflinePackage pack(Path directory, Identity identity, Path out) throws PackagingException {
        if (!Files.isDirectory(directory)) {
            throw new PackagingException(INVALID_ARGUMENT, directory + " is not a directory");
        }
        SortedMap<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path file : (Iterable<Path>) walk::iterator) {
                if (Files.isSymbolicLink(file)) {
                    throw new PackagingException(INVALID_ARGUMENT, file + " is a symbolic link; offline packages carry regular files only");
                }
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    String path = directory.relativize(file).toString().replace(java.io.File.separatorChar, '/');
                    if (!path.equals(OfflineManifest.NAME)) {
                        files.put(path, Files.readAllBytes(file));
                    }
                }
            }
        } catch (IOException e) {
            throw new PackagingException(IO, "cannot read " + directory + ": " + e.getMessage(), e);
        }
        return write(files, identity, out);
    }

    /** Writes {@code files} with a manifest computed from them. */
    public OfflinePackage write(SortedMap<String, byte[]> files, Identity identity, Path out) throws PackagingException {
        SortedMap<String, OfflineManifest.FileFacts> facts = new TreeMap<>();
        HexFormat hex = HexFormat.of();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Optional<String> problem = EntryPaths.problem(file.getKey());
            if (problem.isPresent()) {
                throw new PackagingException(INVALID_ARGUMENT, "'" + file.getKey() + "' cannot be packed: it has " + problem.get());
            }
            facts.put(file.getKey(), new OfflineManifest.FileFacts(hex.formatHex(FileRegions.sha256().digest(file.getValue())), file.getValue().length));
        }
        OfflineManifest manifest = new OfflineManifest(identity.id(), identity.version(), identity.role(), identity.requiresCommon(),
                identity.loading(), facts);
        byte[] manifestBytes = manifest.toBytes();
        OfflineManifest.parse(manifestBytes, "the package being written");
        write(manifestBytes, files, out);
        return new OfflinePackageReader().read(out);
    }

    /** Writes a zip of {@code manifestBytes} (first) and {@code files}, atomically. */
    static void write(byte[] manifestBytes, SortedMap<String, byte[]> files, Path out) throws PackagingException {
        Path partial = null;
        try {
            partial = Files.createTempFile(out.toAbsolutePath().getParent(), ".packline-", ".partial");
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(partial))) {
                zip.setLevel(9);
                entry(zip, OfflineManifest.NAME, manifestBytes);
                for (Map.Entry<String, byte[]> file : files.entrySet()) {
                    entry(zip, file.getKey(), file.getValue());
                }
            }
            Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            partial = null;
        } catch (IOException e) {
            throw new PackagingException(IO, "cannot write " + out + ": " + e.getMessage(), e);
        } finally {
            if (partial != null) {
                try {
                    Files.deleteIfExists(partial);
                } catch (IOException e) {
                    // keeps its .partial name; nothing mistakes it for a package
                }
            }
        }
    }

    private static void entry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTimeLocal(java.time.LocalDateTime.of(1980, 1, 1, 12, 0)); // fixed (and zone-free) so the same content gives the same bytes
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }
}
