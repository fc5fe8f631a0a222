package dev.packline.packaging.offline;

import static dev.packline.packaging.PackagingException.Problem.INVALID_ARGUMENT;
import static dev.packline.packaging.PackagingException.Problem.IO;
import static dev.packline.packaging.PackagingException.Problem.MALFORMED_APK;
import static dev.packline.packaging.PackagingException.Problem.REFUSED;
import static dev.packline.packaging.PackagingException.Problem.UNREADABLE_INPUT;
import static dev.packline.packaging.PackagingException.Problem.VERIFICATION_FAILED;

import dev.packline.packaging.PackagingException;
import dev.packline.packaging.internal.io.FileRegions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Reads and verifies an offline package zip, in this order, each failure with its own error: it is
 * a readable ZIP; no entry escapes the root (absolute paths, '..', backslashes, drive letters), is a
 * symbolic link or appears twice; {@value OfflineManifest#NAME} is at the root and valid; every
 * file is listed in the manifest and every listed file is present with the listed size and SHA-256.
 * Every mismatch is named in one error. Content over {@link #MAX_CONTENT} bytes is refused before it
 * is read (a zip bomb stops there).
 */
public final class OfflinePackageReader {
    public static final long MAX_CONTENT = 1L << 30;

    /** The verified package in {@code zip}. */
    public OfflinePackage read(Path zip) throws PackagingException {
        if (!Files.isRegularFile(zip) || !Files.isReadable(zip)) {
            throw new PackagingException(UNREADABLE_INPUT, "the offline package " + zip + " is missing, not a regular file, or not readable");
        }
        try (ZipFile file = ZipFile.builder().setPath(zip).get()) {
            List<ZipArchiveEntry> entries = Collections.list(file.getEntriesInPhysicalOrder());
            checkEntries(zip, entries);
            SortedMap<String, byte[]> contents = new TreeMap<>();
            byte[] manifestBytes = null;
            for (ZipArchiveEntry entry : entries) {
                if (entry.isDirectory()) {
                    continue;
                }
                try (InputStream in = file.getInputStream(entry)) {
                    byte[] bytes = in.readNBytes((int) Math.min(MAX_CONTENT, Math.max(0, entry.getSize())) + 1);
                    if (entry.getName().equals(OfflineManifest.NAME)) {
                        manifestBytes = bytes;
                    } else {
                        contents.put(entry.getName(), bytes);
                    }
                }
            }
            if (manifestBytes == null) {
                throw new PackagingException(INVALID_ARGUMENT, "the offline package " + zip + " has no " + OfflineManifest.NAME + " at its root");
            }
            OfflineManifest manifest = OfflineManifest.parse(manifestBytes, zip.toString());
            checkContents(zip, manifest, contents);
            String packageSha = HexFormat.of().formatHex(FileRegions.sha256().digest(manifestBytes));
            String zipSha;
            try (FileChannel channel = FileChannel.open(zip)) {
                zipSha = FileRegions.sha256(channel);
            }
            return new OfflinePackage(manifest, manifestBytes, packageSha, zipSha, contents);
        } catch (PackagingException e) {
            throw e;
        } catch (java.util.zip.ZipException e) {
            throw new PackagingException(MALFORMED_APK, "the offline package " + zip + " is not a readable ZIP archive: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new PackagingException(IO, "cannot read the offline package " + zip + ": " + e.getMessage(), e);
        }
    }

    private static void checkEntries(Path zip, List<ZipArchiveEntry> entries) throws PackagingException {
        List<String> problems = new ArrayList<>();
        Map<String, Integer> seen = new TreeMap<>();
        long declared = 0;
        for (ZipArchiveEntry entry : entries) {
            String name = entry.getName();
            String path = entry.isDirectory() && name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
            Optional<String> problem = EntryPaths.problem(path);
            if (problem.isPresent()) {
                problems.add("entry '" + name + "' has " + problem.get());
            } else if (entry.isUnixSymlink()) {
                problems.add("entry '" + name + "' is a symbolic link");
            }
            if (seen.merge(path, 1, Integer::sum) == 2) {
                problems.add("entry '" + name + "' appears more than once");
            }
            declared += Math.max(0, entry.getSize());
        }
        if (!problems.isEmpty()) {
            throw new PackagingException(REFUSED, "the offline package " + zip + " is refused: " + String.join("; ", problems));
        }
        if (declared > MAX_CONTENT) {
            throw new PackagingException(REFUSED, "the offline package " + zip + " declares " + declared + " bytes of content, more than "
                    + MAX_CONTENT);
        }
    }

    private static void checkContents(Path zip, OfflineManifest manifest, SortedMap<String, byte[]> contents) throws PackagingException {
        List<String> problems = new ArrayList<>();
        HexFormat hex = HexFormat.of();
        for (Map.Entry<String, byte[]> file : contents.entrySet()) {
            OfflineManifest.FileFacts facts = manifest.files().get(file.getKey());
            if (facts == null) {
                problems.add("'" + file.getKey() + "' is in the zip but not in the manifest");
                continue;
            }
            if (facts.size() != file.getValue().length) {
                problems.add("'" + file.getKey() + "' has " + file.getValue().length + " bytes, the manifest says " + facts.size());
            } else if (!facts.sha256().equals(hex.formatHex(FileRegions.sha256().digest(file.getValue())))) {
                problems.add("'" + file.getKey() + "' does not have the SHA-256 the manifest lists");
            }
        }
        for (String listed : manifest.files().keySet()) {
            if (!contents.containsKey(listed)) {
                problems.add("'" + listed + "' is in the manifest but not in the zip");
            }
        }
        if (!problems.isEmpty()) {
            throw new PackagingException(VERIFICATION_FAILED, "the offline package " + zip + " does not match its manifest: "
                    + String.join("; ", problems));
        }
    }
}
