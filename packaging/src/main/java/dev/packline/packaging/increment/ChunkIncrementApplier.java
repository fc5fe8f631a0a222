package dev.packline.packaging.increment;

import static dev.packline.packaging.PackagingException.Problem.INVALID_ARGUMENT;
import static dev.packline.packaging.PackagingException.Problem.IO;
import static dev.packline.packaging.PackagingException.Problem.REFUSED;
import static dev.packline.packaging.PackagingException.Problem.VERIFICATION_FAILED;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.packaging.PackagingException;
import dev.packline.packaging.internal.io.FileRegions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;

/**
 * Applies a chunk increment: checks the old file is the one the increment was made from (its
 * SHA-256), rebuilds the new text by concatenating literals and runs of old chunks, checks the
 * result's length and SHA-256, and only then moves it into place. A corrupt increment, one made for
 * another file, or a result that does not match is refused and nothing is written.
 */
public final class ChunkIncrementApplier {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Rebuilds the new file from {@code oldFile} and {@code increment} into {@code out}. */
    public IncrementReport apply(Path oldFile, Path increment, Path out) throws PackagingException {
        long oldBytes = TextFiles.requireFile(oldFile, "old");
        long incrementBytes = TextFiles.requireFile(increment, "increment");
        long started = System.nanoTime();
        JsonNode root = parse(increment);
        ChunkHeader header = header(root, increment);
        String oldSha = sha256(oldFile);
        if (!oldSha.equals(header.oldSha256())) {
            throw new PackagingException(REFUSED, "the increment " + increment + " was made for another base: it expects an old file with SHA-256 "
                    + header.oldSha256() + ", " + oldFile + " has " + oldSha);
        }
        String oldText = TextFiles.read(oldFile, "old");
        String newText = rebuild(oldText, header, root.get("data"), increment);
        byte[] newBytes = newText.getBytes(StandardCharsets.UTF_8);
        String newSha = HexFormat.of().formatHex(FileRegions.sha256().digest(newBytes));
        if (newText.length() != header.newLength() || !newSha.equals(header.newSha256())) {
            throw new PackagingException(VERIFICATION_FAILED, "applying " + increment + " did not give the expected file (length "
                    + newText.length() + " instead of " + header.newLength() + ", SHA-256 " + newSha + " instead of " + header.newSha256()
                    + "); nothing was written");
        }
        Path partial = null;
        try {
            partial = Files.createTempFile(out.toAbsolutePath().getParent(), ".packline-", ".partial");
            Files.write(partial, newBytes);
            Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            partial = null;
            long millis = (System.nanoTime() - started) / 1_000_000;
            return new IncrementReport(IncrementFormat.CHUNK, oldBytes, newBytes.length, incrementBytes, oldSha, newSha,
                    ChunkIncrementMaker.sha256Of(increment), millis, 0);
        } catch (IOException e) {
            throw new PackagingException(IO, "cannot write " + out + ": " + e.getMessage(), e);
        } finally {
            ChunkIncrementMaker.deleteQuietly(partial);
        }
    }

    /** The new text: every literal and every run of old chunks, in order. */
    static String rebuild(String oldText, ChunkHeader header, JsonNode data, Path increment) throws PackagingException {
        if (oldText.length() != header.oldLength()) {
            throw corrupt(increment, "the old text has " + oldText.length() + " UTF-16 units, the header says " + header.oldLength());
        }
        long chunks = (oldText.length() + (long) header.chunkSize() - 1) / header.chunkSize();
        StringBuilder rebuilt = new StringBuilder((int) Math.min(Integer.MAX_VALUE - 8, header.newLength()));
        for (int i = 0; i < data.size(); i++) {
            JsonNode piece = data.get(i);
            if (piece.isTextual()) {
                rebuilt.append(piece.textValue());
            } else if (piece.isArray() && piece.size() == 2 && piece.get(0).canConvertToLong() && piece.get(1).canConvertToLong()
                    && piece.get(0).isIntegralNumber() && piece.get(1).isIntegralNumber()) {
                long first = piece.get(0).longValue();
                long count = piece.get(1).longValue();
                if (first < 0 || count < 1 || first + count > chunks) {
                    throw corrupt(increment, "data[" + i + "] = [" + first + ", " + count + "] refers to chunks outside the old file's " + chunks);
                }
                int from = (int) (first * header.chunkSize());
                int to = (int) Math.min(oldText.length(), (first + count) * header.chunkSize());
                rebuilt.append(oldText, from, to);
            } else {
                throw corrupt(increment, "data[" + i + "] is neither a string nor a [first, count] pair of integers");
            }
            if (rebuilt.length() > header.newLength()) {
                throw corrupt(increment, "it rebuilds more than the " + header.newLength() + " UTF-16 units its header announces");
            }
        }
        return rebuilt.toString();
    }

    static ChunkHeader header(JsonNode root, Path increment) throws PackagingException {
        if (!root.isObject() || !IncrementFormat.CHUNK.cliName().equals(root.path("format").asText())) {
            throw corrupt(increment, "not a chunk increment (no \"format\": \"chunk\" header)");
        }
        if (root.path("version").asInt(-1) != ChunkHeader.VERSION) {
            throw corrupt(increment, "unsupported chunk increment version " + root.path("version") + " (this applier reads version " + ChunkHeader.VERSION + ")");
        }
        int chunkSize = root.path("chunkSize").asInt(-1);
        if (chunkSize < 1 || chunkSize > ChunkIncrementMaker.MAX_CHUNK_SIZE) {
            throw corrupt(increment, "chunkSize " + root.path("chunkSize") + " is missing or out of range");
        }
        long oldLength = root.path("oldLength").asLong(-1);
        long newLength = root.path("newLength").asLong(-1);
        String oldSha = root.path("oldSha256").asText("");
        String newSha = root.path("newSha256").asText("");
        if (oldLength < 0 || newLength < 0 || newLength > Integer.MAX_VALUE - 8 || !isSha256(oldSha) || !isSha256(newSha) || !root.path("data").isArray()) {
            throw corrupt(increment, "its header lacks oldLength, newLength, oldSha256, newSha256 or the data array");
        }
        return new ChunkHeader(chunkSize, oldLength, oldSha, newLength, newSha);
    }

    private static JsonNode parse(Path increment) throws PackagingException {
        try {
            return JSON.readTree(increment.toFile());
        } catch (JsonProcessingException e) {
            throw corrupt(increment, "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new PackagingException(IO, "cannot read " + increment + ": " + e.getMessage(), e);
        }
    }

    static boolean isSha256(String value) {
        return value.length() == 64 && value.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }

    static String sha256(Path file) throws PackagingException {
        try {
            return ChunkIncrementMaker.sha256Of(file);
        } catch (IOException e) {
            throw new PackagingException(IO, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static PackagingException corrupt(Path increment, String why) {
        return new PackagingException(INVALID_ARGUMENT, "the chunk increment " + increment + " is corrupt: " + why);
    }
}
