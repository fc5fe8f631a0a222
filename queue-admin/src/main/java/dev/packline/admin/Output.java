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
 * Where commands write: aligned tables for people, or one JSON document for scripts ({@code --json}),
 * and the confirmation prompt that guards destructive commands.
 */
final class Output {
    private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, true);

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
                String text = v == null ? "-" : v.toString();
                line.add(text);
                widths[c] = Math.max(widths[c], text.codePointCount(0, text.length()));
            }
            cells.add(line);
        }
        out.println(format(columns.stream().map(String::toUpperCase).toList(), widths));
        cells.forEach(line -> out.println(format(line, widths)));
        if (rows.isEmpty()) {
            out.println("(none)");
        }
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

    /** Asks before a destructive action; with no answer to read (no terminal, end of input) the answer is no. */
    boolean confirm(String question) throws IOException {
        err.print(question + " Type 'yes' to go on: ");
        err.flush();
        String answer = in == null ? null : in.readLine();
        return answer != null && answer.trim().equalsIgnoreCase("yes");
    }
}
