package dev.packline.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A long-running process's stdout read as its log: every line, from the first to the last, one JSON
 * object with the fields every Packline app writes (so one ELK pipeline parses them all). Fails
 * naming the file, the line number and the line.
 */
final class JsonLogLines {
    /** The fields of every line, whatever the app: the logstash encoder's names and our {@code app}. */
    static final List<String> FIELDS = List.of("@timestamp", "level", "logger_name", "thread_name", "message", "app");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final List<JsonNode> lines;

    private JsonLogLines(Path file, List<JsonNode> lines) {
        this.file = file;
        this.lines = lines;
    }

    /** Parses every line of {@code file}; each must carry {@link #FIELDS} and {@code app} must be {@code app}. */
    static JsonLogLines read(Path file, String app) throws IOException {
        List<String> text = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertFalse(text.isEmpty(), file + " is empty: the process logged nothing");
        List<JsonNode> parsed = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            String line = text.get(i);
            String where = file + " line " + (i + 1) + ": " + line;
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw new AssertionError("not a JSON object: " + where, e);
            }
            if (node == null || !node.isObject()) {
                fail("not a JSON object: " + where);
            }
            for (String field : FIELDS) {
                assertTrue(node.hasNonNull(field), "no '" + field + "' field: " + where);
            }
            assertEquals(app, node.get("app").asText(), where);
            parsed.add(node);
        }
        return new JsonLogLines(file, parsed);
    }

    /** Asserts that some line carries every one of these MDC fields (a line logged inside a job or a call). */
    void assertSomeLineHas(String... mdcFields) {
        boolean found = lines.stream().anyMatch(line -> Arrays.stream(mdcFields).allMatch(line::hasNonNull));
        assertTrue(found, file + ": no line carries all of " + List.of(mdcFields));
    }

    /** Asserts that some line's message contains {@code text}. */
    void assertSomeMessageContains(String text) {
        assertTrue(lines.stream().anyMatch(line -> line.get("message").asText().contains(text)), file + ": no message contains '" + text + "'");
    }

    /** Asserts that no line, in any field, contains {@code text} (what a log must never name: a client id, a secret). */
    void assertNoLineContains(String text) {
        for (JsonNode line : lines) {
            assertFalse(line.toString().contains(text), file + ": a line names '" + text + "': " + line);
        }
    }

    /** Asserts that a process's stderr holds nothing: no logback status, no plain library lines, no JVM warnings. */
    static void assertEmpty(Path stderr) throws IOException {
        String text = Files.exists(stderr) ? Files.readString(stderr, StandardCharsets.UTF_8) : "";
        assertEquals("", text, stderr + " should be empty");
    }
}
