package dev.packline.packaging.increment;

import java.io.IOException;
import java.io.Writer;

/**
 * Writes a chunk increment as it is scanned: the header fields, then the {@code data} array, merging
 * consecutive literal characters into one string and consecutive chunks into one [first, count]
 * run. Surrogate code units are always written as {@code \}{@code uXXXX} escapes, because a chunk
 * boundary may split a surrogate pair and a lone surrogate cannot be written as UTF-8. Public so the
 * benchmark's reference maker writes its output with the same escaping.
 */
public final class ChunkJsonWriter {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final Writer out;
    /** Characters not yet handed to {@code out}: one bulk write per 8 Ki instead of a locked {@code Writer.write} per literal character. */
    private final char[] pending = new char[1 << 13];
    private int used;
    private boolean literalOpen;
    private int runFirst = -1;
    private int runCount;
    private boolean first = true;
    private int pieces;

    public ChunkJsonWriter(Writer out) {
        this.out = out;
    }

    public void header(ChunkHeader header) throws IOException {
        put("{\"format\":\"" + IncrementFormat.CHUNK.cliName() + "\",\"version\":" + ChunkHeader.VERSION
                + ",\"chunkSize\":" + header.chunkSize()
                + ",\"oldLength\":" + header.oldLength() + ",\"oldSha256\":\"" + header.oldSha256()
                + "\",\"newLength\":" + header.newLength() + ",\"newSha256\":\"" + header.newSha256()
                + "\",\"data\":[");
    }

    public void literal(char unit) throws IOException {
        flushRun();
        if (!literalOpen) {
            separator();
            put('"');
            literalOpen = true;
        }
        switch (unit) {
            case '"' -> put("\\\"");
            case '\\' -> put("\\\\");
            case '\n' -> put("\\n");
            case '\r' -> put("\\r");
            case '\t' -> put("\\t");
            default -> {
                if (unit < 0x20 || Character.isSurrogate(unit)) {
                    put("\\u");
                    put(HEX[unit >>> 12]);
                    put(HEX[(unit >>> 8) & 15]);
                    put(HEX[(unit >>> 4) & 15]);
                    put(HEX[unit & 15]);
                } else {
                    put(unit);
                }
            }
        }
    }

    public void chunk(int chunk) throws IOException {
        closeLiteral();
        if (runFirst >= 0 && chunk == runFirst + runCount) {
            runCount++;
            return;
        }
        flushRun();
        runFirst = chunk;
        runCount = 1;
    }

    /** Ends the data array and the object. */
    public void finish() throws IOException {
        closeLiteral();
        flushRun();
        put("]}");
        drain();
        out.flush();
    }

    /** Literal strings and chunk runs written so far. */
    public int pieces() {
        return pieces;
    }

    private void closeLiteral() throws IOException {
        if (literalOpen) {
            put('"');
            literalOpen = false;
        }
    }

    private void flushRun() throws IOException {
        if (runFirst >= 0) {
            separator();
            put("[" + runFirst + "," + runCount + "]");
            runFirst = -1;
            runCount = 0;
        }
    }

    private void separator() throws IOException {
        if (!first) {
            put(',');
        }
        first = false;
        pieces++;
    }

    private void put(char unit) throws IOException {
        if (used == pending.length) {
            drain();
        }
        pending[used++] = unit;
    }

    private void put(String text) throws IOException {
        if (used + text.length() > pending.length) {
            drain();
            if (text.length() > pending.length) {
                out.write(text);
                return;
            }
        }
        text.getChars(0, text.length(), pending, used);
        used += text.length();
    }

    private void drain() throws IOException {
        out.write(pending, 0, used);
        used = 0;
    }
}
