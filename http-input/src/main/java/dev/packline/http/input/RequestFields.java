package dev.packline.http.input;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Fields a request carries outside its body, as query parameters or headers, read strictly:
 * percent-escapes decoded by {@link PercentDecoding} ({@code +} is a space), the bytes then decoded as strict UTF-8
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
        return value(queryName, headerName == null ? null : HeaderNames.create(headerName));
    }

    /** {@link #value(String, String)} with the header's name made once, for a field read on every call of a busy route. */
    public String value(String queryName, HeaderName headerName) {
        String text;
        if (req.query().contains(queryName)) {
            List<String> raw = req.query().getAllRaw(queryName);
            if (raw.size() > 1) {
                problems.add(InputProblem.invalid(queryName, "given " + raw.size() + " times; give it once"));
                return null;
            }
            text = percentDecoded(queryName, raw.getFirst());
        } else if (headerName != null) {
            Optional<String> header = req.headers().first(headerName);
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
        try {
            return strict(field, PercentDecoding.decode(raw, field, PercentDecoding.Unescaped.BYTES));
        } catch (InputRefusedException e) {
            problems.addAll(e.problems());
            return null;
        }
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
