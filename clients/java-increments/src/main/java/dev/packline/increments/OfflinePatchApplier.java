package dev.packline.increments;

import static dev.packline.increments.IncrementException.Kind.CORRUPT;
import static dev.packline.increments.IncrementException.Kind.MISMATCH;
import static dev.packline.increments.IncrementException.Kind.WRONG_BASE;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Applies offline package patches. The old package is given as its files by path, with its
 * manifest.json; the result comes back the same way. In order: every old file matches the old
 * manifest; the patch names the old manifest's SHA-256 as its base; the patch's manifest.json is
 * the new package's (its SHA-256); every carried file decodes to the SHA-256 the new manifest lists,
 * and every other file is in the old package unchanged. Paths that could escape a directory are refused.
 */
public final class OfflinePatchApplier {
    public static final String MANIFEST = "manifest.json";

    private OfflinePatchApplier() {
    }

    public static Map<String, byte[]> apply(Map<String, byte[]> oldPackage, byte[] patchZip) throws IncrementException {
        byte[] oldManifestBytes = oldPackage.get(MANIFEST);
        if (oldManifestBytes == null) {
            throw new IncrementException(WRONG_BASE, "the old package has no " + MANIFEST);
        }
        Map<?, ?> oldFiles = files(object(new String(oldManifestBytes, Sha256.UTF_8), "the old manifest"));
        for (Map.Entry<?, ?> listed : oldFiles.entrySet()) {
            byte[] bytes = oldPackage.get(listed.getKey());
            if (bytes == null || !Sha256.hex(bytes).equals(sha(listed.getValue()))) {
                throw new IncrementException(WRONG_BASE, "the old package's '" + listed.getKey() + "' is missing or does not match its manifest");
            }
        }
        Map<String, byte[]> patch = readZip(patchZip);
        if (!patch.containsKey("patch.json")) {
            throw new IncrementException(CORRUPT, "the patch has no patch.json");
        }
        Map<?, ?> header = object(new String(patch.get("patch.json"), Sha256.UTF_8), "patch.json");
        if (!"offline-patch".equals(header.get("format")) || !Long.valueOf(1).equals(header.get("version")) || !(header.get("files") instanceof List)) {
            throw new IncrementException(CORRUPT, "not a version 1 offline patch");
        }
        if (!Sha256.hex(oldManifestBytes).equals(header.get("oldPackageSha256"))) {
            throw new IncrementException(WRONG_BASE, "the patch was made for another base (package SHA-256 " + header.get("oldPackageSha256") + ")");
        }
        byte[] manifestBytes = patch.get(MANIFEST);
        if (manifestBytes == null || !Sha256.hex(manifestBytes).equals(header.get("newPackageSha256"))) {
            throw new IncrementException(CORRUPT, "the patch's " + MANIFEST + " is missing or not the new package's");
        }
        Map<?, ?> newFiles = files(object(new String(manifestBytes, Sha256.UTF_8), "the new manifest"));
        Map<String, Map<?, ?>> carried = new HashMap<String, Map<?, ?>>();
        for (Object file : (List<?>) header.get("files")) {
            Map<?, ?> entry = (Map<?, ?>) file;
            if ("changed".equals(entry.get("action")) || "added".equals(entry.get("action"))) {
                carried.put(String.valueOf(entry.get("path")), entry);
            }
        }
        Map<String, byte[]> result = new TreeMap<String, byte[]>();
        result.put(MANIFEST, manifestBytes);
        for (Map.Entry<?, ?> listed : newFiles.entrySet()) {
            String path = String.valueOf(listed.getKey());
            checkPath(path);
            Map<?, ?> file = carried.get(path);
            byte[] bytes;
            if (file == null) {
                bytes = oldPackage.get(path);
                if (bytes == null || !oldFiles.containsKey(path) || !sha(oldFiles.get(path)).equals(sha(listed.getValue()))) {
                    throw new IncrementException(CORRUPT, "the patch does not carry '" + path + "', which the old package does not have unchanged");
                }
            } else {
                bytes = decode(path, file, patch, oldPackage, oldFiles);
            }
            if (!Sha256.hex(bytes).equals(sha(listed.getValue()))) {
                throw new IncrementException(MISMATCH, "'" + path + "' does not have the SHA-256 the new manifest lists");
            }
            result.put(path, bytes);
        }
        return result;
    }

    private static byte[] decode(String path, Map<?, ?> file, Map<String, byte[]> patch, Map<String, byte[]> oldPackage, Map<?, ?> oldFiles)
            throws IncrementException {
        byte[] payload = patch.get(String.valueOf(file.get("entry")));
        if (payload == null) {
            throw new IncrementException(CORRUPT, "the entry " + file.get("entry") + " for '" + path + "' is missing");
        }
        Object encoding = file.get("encoding");
        if ("stored".equals(encoding)) {
            return payload;
        }
        if ("gzip".equals(encoding)) {
            try {
                return readAll(new GZIPInputStream(new ByteArrayInputStream(payload)));
            } catch (IOException e) {
                throw new IncrementException(CORRUPT, "'" + path + "' does not decompress: " + e.getMessage());
            }
        }
        if ("bsdiff-gz".equals(encoding)) {
            Object base = file.get("base");
            byte[] baseBytes = oldPackage.get(base);
            if (baseBytes == null || !oldFiles.containsKey(base) || !sha(oldFiles.get(base)).equals(file.get("baseSha256"))) {
                throw new IncrementException(WRONG_BASE, "'" + path + "' is built from '" + base + "', which the old package lacks");
            }
            return BsdiffGzApplier.apply(baseBytes, payload);
        }
        throw new IncrementException(CORRUPT, "'" + path + "' has the unknown encoding " + encoding);
    }

    /** The entries of a zip by name (stored or deflated), refusing duplicates. */
    public static Map<String, byte[]> readZip(byte[] zip) throws IncrementException {
        Map<String, byte[]> entries = new HashMap<String, byte[]>();
        try {
            ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), Sha256.UTF_8);
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                if (entry.isDirectory()) {
                    continue;
                }
                if (entries.put(entry.getName(), readAll(in)) != null) {
                    throw new IncrementException(CORRUPT, "entry " + entry.getName() + " appears twice");
                }
            }
        } catch (IOException e) {
            throw new IncrementException(CORRUPT, "not a readable zip: " + e.getMessage());
        }
        return entries;
    }

    static void checkPath(String path) throws IncrementException {
        boolean bad = path.isEmpty() || path.startsWith("/") || path.indexOf('\\') >= 0
                || (path.length() > 1 && path.charAt(1) == ':' && Character.isLetter(path.charAt(0)));
        for (String segment : path.split("/", -1)) {
            bad |= segment.isEmpty() || segment.equals(".") || segment.equals("..");
        }
        for (int i = 0; i < path.length(); i++) {
            bad |= path.charAt(i) < 0x20 || path.charAt(i) == 0x7f;
        }
        if (bad) {
            throw new IncrementException(CORRUPT, "the path '" + path + "' escapes the package root or is malformed");
        }
    }

    private static Map<?, ?> object(String json, String what) throws IncrementException {
        Object parsed = JsonReader.parse(json, what);
        if (!(parsed instanceof Map)) {
            throw new IncrementException(CORRUPT, what + " is not a JSON object");
        }
        return (Map<?, ?>) parsed;
    }

    private static Map<?, ?> files(Map<?, ?> manifest) throws IncrementException {
        if (!(manifest.get("files") instanceof Map)) {
            throw new IncrementException(CORRUPT, "a manifest has no files object");
        }
        return (Map<?, ?>) manifest.get("files");
    }

    private static String sha(Object facts) throws IncrementException {
        if (!(facts instanceof Map) || !(((Map<?, ?>) facts).get("sha256") instanceof String)) {
            throw new IncrementException(CORRUPT, "a manifest entry has no sha256");
        }
        return (String) ((Map<?, ?>) facts).get("sha256");
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int read; (read = in.read(buffer)) >= 0; ) {
            out.write(buffer, 0, read);
        }
        return out.toByteArray();
    }
}
