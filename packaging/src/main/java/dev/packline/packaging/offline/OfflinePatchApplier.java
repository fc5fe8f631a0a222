package dev.packline.packaging.offline;

import static dev.packline.packaging.PackagingException.Problem.INVALID_ARGUMENT;
import static dev.packline.packaging.PackagingException.Problem.IO;
import static dev.packline.packaging.PackagingException.Problem.MALFORMED_APK;
import static dev.packline.packaging.PackagingException.Problem.REFUSED;
import static dev.packline.packaging.PackagingException.Problem.UNREADABLE_INPUT;
import static dev.packline.packaging.PackagingException.Problem.VERIFICATION_FAILED;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.packaging.PackagingException;
import dev.packline.packaging.increment.BsdiffGzipApplier;
import dev.packline.packaging.internal.io.FileRegions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Applies an offline patch to the old package, in this order: the old package verifies (every
 * file against its manifest); the patch names it as its base (old package SHA-256) and carries a
 * manifest whose SHA-256 is the new package's; every carried file decodes, from a base whose
 * SHA-256 is the one the patch names, to the SHA-256 the new manifest lists; every file not carried
 * is in the old package with the same SHA-256. Only then is the new package written, to a partial
 * file renamed into place and read back through {@link OfflinePackageReader}: a failure at any step
 * leaves no output behind.
 */
public final class OfflinePatchApplier {
    private static final ObjectMapper JSON = new ObjectMapper();

    public OfflinePackage apply(Path oldZip, Path patchZip, Path out) throws PackagingException {
        OfflinePackage older = new OfflinePackageReader().read(oldZip);
        Map<String, byte[]> patch = readPatch(patchZip);
        JsonNode header = json(patch.get(OfflinePatchMaker.PATCH_JSON), patchZip);
        if (!OfflinePatchMaker.FORMAT.equals(header.path("format").asText()) || header.path("version").asInt(-1) != OfflinePatchMaker.VERSION) {
            throw corrupt(patchZip, "not an offline patch of version " + OfflinePatchMaker.VERSION + " (format " + header.path("format") + ", version "
                    + header.path("version") + ")");
        }
        if (!older.packageSha256().equals(header.path("oldPackageSha256").asText())) {
            throw new PackagingException(REFUSED, "the offline patch " + patchZip + " was made for another base: it expects package SHA-256 "
                    + header.path("oldPackageSha256").asText() + " (" + header.path("id").asText() + " " + header.path("oldVersion").asText()
                    + "), " + oldZip + " is " + older.packageSha256() + " (" + older.manifest().id() + " " + older.manifest().version() + ")");
        }
        byte[] manifestBytes = patch.get(OfflineManifest.NAME);
        if (manifestBytes == null || !sha256(manifestBytes).equals(header.path("newPackageSha256").asText())) {
            throw corrupt(patchZip, "its " + OfflineManifest.NAME + " is missing or is not the new package's (SHA-256 differs from newPackageSha256)");
        }
        OfflineManifest manifest = OfflineManifest.parse(manifestBytes, patchZip + " (new manifest)");
        Map<String, JsonNode> carried = new HashMap<>();
        for (JsonNode file : header.path("files")) {
            String path = file.path("path").asText();
            String action = file.path("action").asText();
            if (action.equals("removed")) {
                if (manifest.files().containsKey(path)) {
                    throw corrupt(patchZip, "'" + path + "' is listed as removed but the new manifest has it");
                }
            } else if ((action.equals("changed") || action.equals("added")) && manifest.files().containsKey(path)) {
                carried.put(path, file);
            } else {
                throw corrupt(patchZip, "files has an entry with action '" + action + "' for '" + path + "', which the new manifest does not list");
            }
        }
        SortedMap<String, byte[]> files = new TreeMap<>();
        for (Map.Entry<String, OfflineManifest.FileFacts> listed : manifest.files().entrySet()) {
            String path = listed.getKey();
            JsonNode file = carried.get(path);
            byte[] bytes = file == null ? unchanged(older, path, listed.getValue(), patchZip) : decode(file, patch, older, patchZip);
            if (!sha256(bytes).equals(listed.getValue().sha256())) {
                throw new PackagingException(VERIFICATION_FAILED, "applying " + patchZip + " gave '" + path
                        + "' a SHA-256 other than the new manifest's; nothing was written");
            }
            files.put(path, bytes);
        }
        OfflinePackageWriter.write(manifestBytes, files, out);
        return new OfflinePackageReader().read(out);
    }

    private static byte[] unchanged(OfflinePackage older, String path, OfflineManifest.FileFacts facts, Path patchZip) throws PackagingException {
        OfflineManifest.FileFacts oldFacts = older.manifest().files().get(path);
        if (oldFacts == null || !oldFacts.sha256().equals(facts.sha256())) {
            throw corrupt(patchZip, "it does not carry '" + path + "', which the old package does not have unchanged");
        }
        return older.files().get(path);
    }

    private static byte[] decode(JsonNode file, Map<String, byte[]> patch, OfflinePackage older, Path patchZip) throws PackagingException {
        String path = file.path("path").asText();
        byte[] payload = patch.get(file.path("entry").asText());
        if (payload == null) {
            throw corrupt(patchZip, "the entry " + file.path("entry") + " for '" + path + "' is missing");
        }
        PatchEncoding encoding = PatchEncoding.byJsonName(file.path("encoding").asText())
                .orElseThrow(() -> corrupt(patchZip, "'" + path + "' has the unknown encoding " + file.path("encoding")));
        try {
            return switch (encoding) {
                case STORED -> payload;
                case GZIP -> {
                    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(payload))) {
                        yield in.readAllBytes();
                    }
                }
                case BSDIFF_GZIP -> {
                    String base = file.path("base").asText();
                    byte[] baseBytes = older.files().get(base);
                    if (baseBytes == null || !sha256(baseBytes).equals(file.path("baseSha256").asText())) {
                        throw new PackagingException(REFUSED, "the offline patch " + patchZip + " builds '" + path + "' from '" + base
                                + "', which the old package does not have with SHA-256 " + file.path("baseSha256").asText());
                    }
                    yield BsdiffGzipApplier.rebuild(baseBytes, payload, patchZip + " (" + path + ")");
                }
            };
        } catch (IOException e) {
            throw corrupt(patchZip, "'" + path + "' does not decompress: " + e.getMessage());
        }
    }

    private static Map<String, byte[]> readPatch(Path patchZip) throws PackagingException {
        if (!Files.isRegularFile(patchZip) || !Files.isReadable(patchZip)) {
            throw new PackagingException(UNREADABLE_INPUT, "the offline patch " + patchZip + " is missing, not a regular file, or not readable");
        }
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipFile zip = ZipFile.builder().setPath(patchZip).get()) {
            for (ZipArchiveEntry entry : java.util.Collections.list(zip.getEntries())) {
                if (entry.getSize() > OfflinePackageReader.MAX_CONTENT) {
                    throw corrupt(patchZip, "entry " + entry.getName() + " is larger than " + OfflinePackageReader.MAX_CONTENT + " bytes");
                }
                try (InputStream in = zip.getInputStream(entry)) {
                    if (entries.put(entry.getName(), in.readAllBytes()) != null) {
                        throw corrupt(patchZip, "entry " + entry.getName() + " appears twice");
                    }
                }
            }
        } catch (java.util.zip.ZipException e) {
            throw new PackagingException(MALFORMED_APK, "the offline patch " + patchZip + " is not a readable ZIP archive: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new PackagingException(IO, "cannot read the offline patch " + patchZip + ": " + e.getMessage(), e);
        }
        if (!entries.containsKey(OfflinePatchMaker.PATCH_JSON)) {
            throw corrupt(patchZip, "it has no " + OfflinePatchMaker.PATCH_JSON);
        }
        return entries;
    }

    private static JsonNode json(byte[] bytes, Path patchZip) throws PackagingException {
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw corrupt(patchZip, OfflinePatchMaker.PATCH_JSON + " is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw corrupt(patchZip, OfflinePatchMaker.PATCH_JSON + " is not valid JSON: " + e.getMessage());
        }
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(FileRegions.sha256().digest(bytes));
    }

    private static PackagingException corrupt(Path patchZip, String why) {
        return new PackagingException(INVALID_ARGUMENT, "the offline patch " + patchZip + " is corrupt: " + why);
    }
}
