package dev.packline.packaging.offline;

import static dev.packline.packaging.PackagingException.Problem.INVALID_ARGUMENT;
import static dev.packline.packaging.PackagingException.Problem.IO;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.packaging.PackagingException;
import dev.packline.packaging.increment.BsdiffGzipMaker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Makes a per-file patch between two verified offline packages of the same id. Each file of the
 * new package is unchanged (not carried), changed (same path, new bytes), or added; removed files
 * are listed. A changed file is carried as the smallest of a bsdiff-gz increment from its old
 * bytes, its gzip, or its bytes as they are. An added file whose name differs from a removed one
 * only by a content hash (app.3f2a.js after app.9c1b.js: same directory, same extension, same
 * name up to the first '.') is also tried as an increment from it, since bundlers rename files on
 * every build. The patch is a zip of stored entries: patch.json, the new manifest.json byte for
 * byte, and one files/N entry per carried file (layout in docs/packaging.md).
 */
public final class OfflinePatchMaker {
    public static final String PATCH_JSON = "patch.json";
    public static final String FORMAT = "offline-patch";
    public static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a made patch holds, for reports and the benchmark. */
    public record Made(long patchBytes, int unchanged, int changed, int added, int removed, Map<PatchEncoding, Integer> encodings,
            String oldPackageSha256, String newPackageSha256) {
    }

    public Made make(Path oldZip, Path newZip, Path out) throws PackagingException {
        OfflinePackageReader reader = new OfflinePackageReader();
        return make(reader.read(oldZip), reader.read(newZip), out);
    }

    public Made make(OfflinePackage older, OfflinePackage newer, Path out) throws PackagingException {
        if (!older.manifest().id().equals(newer.manifest().id())) {
            throw new PackagingException(INVALID_ARGUMENT, "a patch joins two versions of one package; these are '" + older.manifest().id()
                    + "' and '" + newer.manifest().id() + "'");
        }
        List<Map<String, Object>> entries = new ArrayList<>();
        SortedMap<String, byte[]> payloads = new TreeMap<>();
        Map<PatchEncoding, Integer> encodings = new TreeMap<>();
        int unchanged = 0;
        int changed = 0;
        int added = 0;
        List<String> removed = older.files().keySet().stream().filter(path -> !newer.files().containsKey(path)).toList();
        try {
            for (Map.Entry<String, byte[]> file : newer.files().entrySet()) {
                String path = file.getKey();
                OfflineManifest.FileFacts facts = newer.manifest().files().get(path);
                OfflineManifest.FileFacts oldFacts = older.manifest().files().get(path);
                if (oldFacts != null && oldFacts.sha256().equals(facts.sha256())) {
                    unchanged++;
                    continue;
                }
                Optional<String> base = oldFacts != null ? Optional.of(path) : renamedFrom(path, removed, older);
                Carried carried = smallest(file.getValue(), base.map(older.files()::get));
                String entry = "files/" + payloads.size();
                payloads.put(entry, carried.bytes());
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("path", path);
                json.put("action", oldFacts != null ? "changed" : "added");
                json.put("encoding", carried.encoding().jsonName());
                json.put("entry", entry);
                if (carried.encoding() == PatchEncoding.BSDIFF_GZIP) {
                    json.put("base", base.orElseThrow());
                    json.put("baseSha256", older.manifest().files().get(base.get()).sha256());
                }
                json.put("sha256", facts.sha256());
                json.put("size", facts.size());
                entries.add(json);
                encodings.merge(carried.encoding(), 1, Integer::sum);
                if (oldFacts != null) {
                    changed++;
                } else {
                    added++;
                }
            }
            for (String path : removed) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("path", path);
                json.put("action", "removed");
                entries.add(json);
            }
            Map<String, Object> patch = new LinkedHashMap<>();
            patch.put("format", FORMAT);
            patch.put("version", VERSION);
            patch.put("id", newer.manifest().id());
            patch.put("oldVersion", older.manifest().version());
            patch.put("newVersion", newer.manifest().version());
            patch.put("oldPackageSha256", older.packageSha256());
            patch.put("newPackageSha256", newer.packageSha256());
            patch.put("files", entries);
            long bytes = writeStoredZip(JSON.writeValueAsBytes(patch), newer.manifestBytes(), payloads, out);
            return new Made(bytes, unchanged, changed, added, removed.size(), encodings, older.packageSha256(), newer.packageSha256());
        } catch (IOException e) {
            throw new PackagingException(IO, "cannot write the offline patch " + out + ": " + e.getMessage(), e);
        }
    }

    private record Carried(PatchEncoding encoding, byte[] bytes) {
    }

    private static Carried smallest(byte[] newBytes, Optional<byte[]> base) throws IOException, PackagingException {
        List<Carried> candidates = new ArrayList<>();
        candidates.add(new Carried(PatchEncoding.STORED, newBytes));
        candidates.add(new Carried(PatchEncoding.GZIP, gzip(newBytes)));
        if (base.isPresent()) {
            candidates.add(new Carried(PatchEncoding.BSDIFF_GZIP, BsdiffGzipMaker.encode(base.get(), newBytes)));
        }
        return candidates.stream().min(Comparator.comparingInt(carried -> carried.bytes().length)).orElseThrow();
    }

    /** The removed file {@code path} most likely replaced under a new content-hash name, if any. */
    static Optional<String> renamedFrom(String path, List<String> removed, OfflinePackage older) {
        String directory = path.substring(0, path.lastIndexOf('/') + 1);
        String name = path.substring(directory.length());
        int firstDot = name.indexOf('.');
        int lastDot = name.lastIndexOf('.');
        if (firstDot <= 0 || firstDot == lastDot) {
            return Optional.empty();
        }
        String stem = directory + name.substring(0, firstDot + 1);
        String extension = name.substring(lastDot);
        return removed.stream()
                .filter(candidate -> candidate.startsWith(stem) && candidate.endsWith(extension) && candidate.indexOf('/', stem.length()) < 0)
                .findFirst()
                .filter(candidate -> older.files().get(candidate).length > 0);
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out) {
            {
                def.setLevel(java.util.zip.Deflater.BEST_COMPRESSION);
            }
        }) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    private static long writeStoredZip(byte[] patchJson, byte[] manifest, SortedMap<String, byte[]> payloads, Path out) throws IOException {
        Path partial = Files.createTempFile(out.toAbsolutePath().getParent(), ".packline-", ".partial");
        try {
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(partial))) {
                stored(zip, PATCH_JSON, patchJson);
                stored(zip, OfflineManifest.NAME, manifest);
                for (Map.Entry<String, byte[]> payload : payloads.entrySet()) {
                    stored(zip, payload.getKey(), payload.getValue());
                }
            }
            Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return Files.size(out);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static void stored(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(bytes.length);
        entry.setCompressedSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        entry.setCrc(crc.getValue());
        entry.setTimeLocal(java.time.LocalDateTime.of(1980, 1, 1, 12, 0));
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }
}
