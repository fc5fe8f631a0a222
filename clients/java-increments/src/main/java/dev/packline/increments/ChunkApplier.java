package dev.packline.increments;

import static dev.packline.increments.IncrementException.Kind.CORRUPT;
import static dev.packline.increments.IncrementException.Kind.MISMATCH;
import static dev.packline.increments.IncrementException.Kind.WRONG_BASE;

import java.util.List;
import java.util.Map;

/**
 * Applies chunk increments: the old text is cut into chunks of {@code chunkSize} UTF-16 code units
 * (Java's and JavaScript's string unit); the increment's {@code data} lists literal strings and
 * [first, count] runs of chunks, concatenated in order. The old text's SHA-256 (of its UTF-8) is
 * checked first and the result's last.
 */
public final class ChunkApplier {
    private ChunkApplier() {
    }

    public static String apply(String oldText, String incrementJson) throws IncrementException {
        Object parsed = JsonReader.parse(incrementJson, "the chunk increment");
        if (!(parsed instanceof Map)) {
            throw new IncrementException(CORRUPT, "the chunk increment is not a JSON object");
        }
        Map<?, ?> increment = (Map<?, ?>) parsed;
        if (!"chunk".equals(increment.get("format")) || !Long.valueOf(1).equals(increment.get("version"))
                || !(increment.get("data") instanceof List)) {
            throw new IncrementException(CORRUPT, "not a version 1 chunk increment");
        }
        long chunkSize = number(increment, "chunkSize");
        if (chunkSize < 1 || chunkSize > 4096) {
            throw new IncrementException(CORRUPT, "chunkSize " + chunkSize + " is out of range");
        }
        if (oldText.length() != number(increment, "oldLength") || !Sha256.hex(oldText.getBytes(Sha256.UTF_8)).equals(increment.get("oldSha256"))) {
            throw new IncrementException(WRONG_BASE, "the increment was made for another base (old SHA-256 " + increment.get("oldSha256") + ")");
        }
        long newLength = number(increment, "newLength");
        long chunks = (oldText.length() + chunkSize - 1) / chunkSize;
        StringBuilder rebuilt = new StringBuilder((int) Math.min(newLength, Integer.MAX_VALUE - 8));
        List<?> data = (List<?>) increment.get("data");
        for (int i = 0; i < data.size(); i++) {
            Object piece = data.get(i);
            if (piece instanceof String) {
                rebuilt.append((String) piece);
            } else if (piece instanceof List && ((List<?>) piece).size() == 2 && ((List<?>) piece).get(0) instanceof Long
                    && ((List<?>) piece).get(1) instanceof Long) {
                long first = (Long) ((List<?>) piece).get(0);
                long count = (Long) ((List<?>) piece).get(1);
                if (first < 0 || count < 1 || first + count > chunks) {
                    throw new IncrementException(CORRUPT, "data[" + i + "] = [" + first + ", " + count + "] refers to chunks outside the old text's " + chunks);
                }
                rebuilt.append(oldText, (int) (first * chunkSize), (int) Math.min(oldText.length(), (first + count) * chunkSize));
            } else {
                throw new IncrementException(CORRUPT, "data[" + i + "] is neither a string nor a [first, count] pair");
            }
            if (rebuilt.length() > newLength) {
                throw new IncrementException(CORRUPT, "it rebuilds more than the " + newLength + " units its header announces");
            }
        }
        String result = rebuilt.toString();
        if (result.length() != newLength || !Sha256.hex(result.getBytes(Sha256.UTF_8)).equals(increment.get("newSha256"))) {
            throw new IncrementException(MISMATCH, "the rebuilt text does not have the length and SHA-256 the increment names");
        }
        return result;
    }

    private static long number(Map<?, ?> object, String name) throws IncrementException {
        Object value = object.get(name);
        if (!(value instanceof Long)) {
            throw new IncrementException(CORRUPT, "the header's " + name + " is missing or not an integer");
        }
        return (Long) value;
    }
}
