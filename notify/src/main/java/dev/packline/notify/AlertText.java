package dev.packline.notify;


import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * How an alert reads in a chat: a heading with its severity (and "resolved"), the text, the labels
 * and the time, as plain text or as the markdown the robots render. Also cuts text to a byte limit
 * with a visible marker, never inside a character.
 */
final class AlertText {
    static final String TRUNCATED = "\n... (truncated)";
    /** Our own cap for channels without a documented content limit: an alert longer than this is unreadable in a chat anyway. */
    static final int DEFAULT_MAX_BYTES = 16 * 1024;

    private AlertText() {
    }

    /** "[CRITICAL] 3 jobs dead-lettered on package:3", "[WARNING, resolved] ...". */
    static String heading(Alert alert) {
        return "[" + alert.severity() + (alert.status() == Alert.Status.RESOLVED ? ", resolved" : "") + "] " + alert.title();
    }

    static String plain(Alert alert) {
        StringBuilder out = new StringBuilder(heading(alert)).append('\n');
        if (alert.text() != null && !alert.text().isBlank()) {
            out.append('\n').append(alert.text().strip()).append('\n');
        }
        return out.append('\n').append(footer(alert)).toString();
    }

    static String markdown(Alert alert) {
        StringBuilder out = new StringBuilder("#### ").append(heading(alert)).append("\n\n");
        if (alert.text() != null && !alert.text().isBlank()) {
            out.append(alert.text().strip()).append("\n\n");
        }
        return out.append("> ").append(footer(alert)).toString();
    }

    /** "queue=package, version=3 · 2024-05-01T10:00:00Z", labels sorted so the same alert always reads the same. */
    static String footer(Alert alert) {
        Map<String, String> labels = alert.labels() == null ? Map.of() : new TreeMap<>(alert.labels());
        String labelText = labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
        String at = alert.at() == null ? "" : DateTimeFormatter.ISO_INSTANT.format(alert.at().truncatedTo(ChronoUnit.SECONDS));
        return labelText.isEmpty() ? at : at.isEmpty() ? labelText : labelText + " · " + at;
    }

    /** The text if its UTF-8 form fits {@code maxBytes}, else its longest prefix that fits together with {@link #TRUNCATED}. */
    static String truncate(String text, int maxBytes) {
        if (utf8Length(text) <= maxBytes) {
            return text;
        }
        int budget = maxBytes - utf8Length(TRUNCATED);
        if (budget <= 0) {
            throw new IllegalArgumentException("a limit of " + maxBytes + " bytes leaves no room for the text");
        }
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        CharBuffer in = CharBuffer.wrap(text);
        encoder.encode(in, ByteBuffer.allocate(budget), true); // stops before the first character that does not fit whole
        return text.substring(0, in.position()) + TRUNCATED;
    }

    static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
