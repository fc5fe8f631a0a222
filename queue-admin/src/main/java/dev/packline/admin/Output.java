package dev.packline.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where commands write: aligned tables for people (headers in words, long cells cut), or one JSON
 * document for scripts ({@code --json}, keys as they are, nothing cut), and the confirmation prompt
 * that guards destructive commands.
 */
final class Output {
    private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, true);
    /** A table cell longer than this is cut (an error message, a payload): the whole text is in --json and in {@code job ID}. */
    static final int MAX_CELL = 60;

    final PrintStream out;
    final PrintStream err;
    private final BufferedReader in;
    final boolean json;
    final boolean terminal;

    Output(PrintStream out, PrintStream err, BufferedReader in, boolean json, boolean terminal) {
        this.out = out;
        this.err = err;
        this.in = in;
        this.json = json;
        this.terminal = terminal;
    }

    void json(Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON output", e);
        }
    }

    /** Prints rows (each a map in column order) as a table with a header, or as a JSON array. */
    void rows(List<String> columns, List<Map<String, Object>> rows) {
        if (json) {
            json(rows);
            return;
        }
        int[] widths = new int[columns.size()];
        List<List<String>> cells = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            widths[c] = columns.get(c).length();
        }
        for (Map<String, Object> row : rows) {
            List<String> line = new ArrayList<>();
            for (int c = 0; c < columns.size(); c++) {
                Object v = row.get(columns.get(c));
                String text = cut(v == null ? "-" : v.toString());
                line.add(text);
                widths[c] = Math.max(widths[c], text.codePointCount(0, text.length()));
            }
            cells.add(line);
        }
        List<String> headers = columns.stream().map(Output::header).toList();
        for (int c = 0; c < columns.size(); c++) {
            widths[c] = Math.max(widths[c], headers.get(c).length());
        }
        out.println(format(headers, widths));
        cells.forEach(line -> out.println(format(line, widths)));
        if (rows.isEmpty()) {
            out.println("(none)");
        }
    }

    /** A JSON key as a header in words: oldestPendingSeconds -> OLDEST PENDING SECONDS. */
    static String header(String key) {
        return key.replaceAll("([a-z])([A-Z0-9])", "$1 $2").toUpperCase(java.util.Locale.ROOT);
    }

    /** One line of at most {@link #MAX_CELL} characters: line breaks become spaces, the rest is cut with an ellipsis. */
    static String cut(String text) {
        String line = text.replaceAll("\\s*[\\r\\n]+\\s*", " ");
        if (line.codePointCount(0, line.length()) <= MAX_CELL) {
            return line;
        }
        return line.substring(0, line.offsetByCodePoints(0, MAX_CELL - 1)) + "…";
    }

    private static String format(List<String> line, int[] widths) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < line.size(); c++) {
            String text = line.get(c);
            b.append(text).append(" ".repeat(Math.max(0, widths[c] - text.codePointCount(0, text.length()))));
            if (c < line.size() - 1) {
                b.append("  ");
            }
        }
        return b.toString().stripTrailing();
    }

    void line(String text) {
        if (!json) {
            out.println(text);
        }
    }

    /** A command's outcome: the document with --json, else the sentence. */
    void result(Map<String, Object> doc, String text) {
        if (json) {
            json(doc);
        } else {
            out.println(text);
        }
    }

    /** Asks before a destructive action; with no answer to read (no terminal, end of input) the answer is no. */
    boolean confirm(String question) throws IOException {
        err.print(question + " Type 'yes' to go on: ");
        err.flush();
        String answer = in == null ? null : in.readLine();
        return answer != null && answer.trim().equalsIgnoreCase("yes");
    }
}
