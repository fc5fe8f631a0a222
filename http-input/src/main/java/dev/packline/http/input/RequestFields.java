package dev.packline.http.input;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Fields a request carries outside its body, as query parameters or headers, read strictly:
 * percent-escapes decoded by hand ({@code +} is a space), the bytes then decoded as strict UTF-8
 * ({@link StrictUtf8}), so a malformed escape or invalid UTF-8 is a problem naming the field instead
 * of a replacement character; a parameter given twice is refused rather than one of its values
 * silently winning. Header values are bytes too (the web server keeps each as one ISO-8859-1
 * character per byte) and are read as strict UTF-8 the same way. Problems are collected, so one
 * refusal names them all.
 */
public final class RequestFields {
    private final ServerRequest req;
    private final List<InputProblem> problems;

    public RequestFields(ServerRequest req, List<InputProblem> problems) {
        this.req = req;
        this.problems = problems;
    }

    /**
     * The field from the query parameter {@code queryName} or, when the query lacks it, the header
     * {@code headerName} (null: query only); surrounding spaces trimmed; null when absent, empty or
     * refused (the refusal noted under {@code queryName}).
     */
    public String value(String queryName, String headerName) {
        String text;
        if (req.query().contains(queryName)) {
            List<String> raw = req.query().getAllRaw(queryName);
            if (raw.size() > 1) {
                problems.add(InputProblem.invalid(queryName, "given " + raw.size() + " times; give it once"));
                return null;
            }
            text = percentDecoded(queryName, raw.getFirst());
        } else if (headerName != null) {
            Optional<String> header = req.headers().first(HeaderNames.create(headerName));
            text = header.isEmpty() ? null : headerText(queryName, header.get());
        } else {
            text = null;
        }
        if (text == null) {
            return null;
        }
        text = text.strip();
        return text.isEmpty() ? null : text;
    }

    public List<InputProblem> problems() {
        return problems;
    }

    private String percentDecoded(String field, String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int high = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int low = high < 0 ? -1 : Character.digit(raw.charAt(i + 2), 16);
                if (high < 0 || low < 0 || raw.charAt(i + 1) > 0x7f || raw.charAt(i + 2) > 0x7f) {
                    problems.add(InputProblem.invalid(field, "a malformed percent-escape at character " + i + " (a '%' must be followed by two hex digits)"));
                    return null;
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                // the request line is bytes; a character above 0x7F stands for one byte of unescaped UTF-8
                if (c > 0xff) {
                    problems.add(InputProblem.invalid(field, "holds a character the request line cannot carry"));
                    return null;
                }
                bytes.write(c);
            }
        }
        return strict(field, bytes.toByteArray());
    }

    private String headerText(String field, String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) > 0xff) {
                problems.add(InputProblem.invalid(field, "holds a character a header cannot carry"));
                return null;
            }
        }
        return strict(field, value.getBytes(StandardCharsets.ISO_8859_1));
    }

    private String strict(String field, byte[] bytes) {
        try {
            return StrictUtf8.decode(bytes, field);
        } catch (InputRefusedException e) {
            problems.addAll(e.problems());
            return null;
        }
    }
}
