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
    private boolean literalOpen;
    private int runFirst = -1;
    private int runCount;
    private boolean first = true;
    private int pieces;

    public ChunkJsonWriter(Writer out) {
        this.out = out;
    }

    public void header(ChunkHeader header) throws IOException {
        out.write("{\"format\":\"" + IncrementFormat.CHUNK.cliName() + "\",\"version\":" + ChunkHeader.VERSION
                + ",\"chunkSize\":" + header.chunkSize()
                + ",\"oldLength\":" + header.oldLength() + ",\"oldSha256\":\"" + header.oldSha256()
                + "\",\"newLength\":" + header.newLength() + ",\"newSha256\":\"" + header.newSha256()
                + "\",\"data\":[");
    }

    public void literal(char unit) throws IOException {
        flushRun();
        if (!literalOpen) {
            separator();
            out.write('"');
            literalOpen = true;
        }
        switch (unit) {
            case '"' -> out.write("\\\"");
            case '\\' -> out.write("\\\\");
            case '\n' -> out.write("\\n");
            case '\r' -> out.write("\\r");
            case '\t' -> out.write("\\t");
            default -> {
                if (unit < 0x20 || Character.isSurrogate(unit)) {
                    out.write("\\u");
                    out.write(HEX[unit >>> 12]);
                    out.write(HEX[(unit >>> 8) & 15]);
                    out.write(HEX[(unit >>> 4) & 15]);
                    out.write(HEX[unit & 15]);
                } else {
                    out.write(unit);
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
        out.write("]}");
        out.flush();
    }

    /** Literal strings and chunk runs written so far. */
    public int pieces() {
        return pieces;
    }

    private void closeLiteral() throws IOException {
        if (literalOpen) {
            out.write('"');
            literalOpen = false;
        }
    }

    private void flushRun() throws IOException {
        if (runFirst >= 0) {
            separator();
            out.write("[" + runFirst + "," + runCount + "]");
            runFirst = -1;
            runCount = 0;
        }
    }

    private void separator() throws IOException {
        if (!first) {
            out.write(',');
        }
        first = false;
        pieces++;
    }
}
