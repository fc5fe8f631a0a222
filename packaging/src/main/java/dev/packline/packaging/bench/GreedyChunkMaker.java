package dev.packline.packaging.bench;

import dev.packline.packaging.increment.ChunkHeader;
import dev.packline.packaging.increment.ChunkJsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The benchmark's reference: the classic chunk maker of the 2014 design. The old text's chunks go
 * into a hash map keyed by their text (the first chunk wins for repeated text); at every position
 * of the new text the next {@code chunkSize} characters are looked up whole, so the work is the new
 * text's length times the chunk size. A hit emits the chunk and skips it, a miss one literal
 * character. Its output goes through the same writer as {@code ChunkIncrementMaker}'s, so sizes
 * compare like for like.
 */
final class GreedyChunkMaker {
    private final int chunkSize;

    GreedyChunkMaker(int chunkSize) {
        this.chunkSize = chunkSize;
    }

    byte[] make(String oldText, String newText) throws IOException {
        Map<String, Integer> chunks = new HashMap<>();
        for (int chunk = 0; (chunk + 1) * chunkSize <= oldText.length(); chunk++) {
            chunks.putIfAbsent(oldText.substring(chunk * chunkSize, (chunk + 1) * chunkSize), chunk);
        }
        StringWriter out = new StringWriter(newText.length() / 4);
        ChunkJsonWriter json = new ChunkJsonWriter(out);
        json.header(new ChunkHeader(chunkSize, oldText.length(), sha256(oldText), newText.length(), sha256(newText)));
        int position = 0;
        while (position < newText.length()) {
            Integer chunk = position + chunkSize <= newText.length() ? chunks.get(newText.substring(position, position + chunkSize)) : null;
            if (chunk != null) {
                json.chunk(chunk);
                position += chunkSize;
            } else {
                json.literal(newText.charAt(position));
                position++;
            }
        }
        json.finish();
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256(String text) {
        return HexFormat.of().formatHex(dev.packline.packaging.internal.io.FileRegions.sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
