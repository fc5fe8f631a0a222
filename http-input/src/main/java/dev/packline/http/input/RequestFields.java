package dev.packline.http.input;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
    /** The raw query, read when a field is first read, and whether any of its names is written with an escape. */
    private String query;
    private boolean escapedNames;

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
        List<String> raw = rawValues(queryName);
        if (raw != null) {
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

    /**
     * The raw values of the query parameter whose decoded name is {@code queryName}, or null when the
     * query has none: what the web server's {@code query().contains(name)} and {@code getAllRaw(name)}
     * answer, without the two maps (every name and value decoded, then every one raw) the server
     * builds for them on every request. A name written with an escape or a {@code +} is matched by
     * its decoded name (the server's {@code contains} does so too, but its {@code getAllRaw} then
     * threw, which answered {@code clientI%64=x} with a 500).
     */
    private List<String> rawValues(String queryName) {
        if (query == null) {
            query = req.query().rawValue();
            escapedNames = hasEscapedName(query);
        }
        return rawValues(query, queryName, escapedNames);
    }

    /**
     * Whether the query parameter (by its decoded name) or the header is there at all, even empty.
     */
    public boolean given(String queryName, HeaderName headerName) {
        return rawValues(queryName) != null || req.headers().contains(headerName);
    }

    /**
     * The raw values of the parts of {@code query} named {@code name}, split as the web server splits
     * it for {@code getAllRaw}: at each {@code &}, then at the first {@code =}; a part without one is
     * the name with no value (an empty list). Null when no part has that name.
     */
    static List<String> rawValues(String query, String name) {
        return rawValues(query, name, hasEscapedName(query));
    }

    /** {@link #rawValues(String, String)}, decoding names only when {@code escapedNames} (the query has such a name). */
    private static List<String> rawValues(String query, String name, boolean escapedNames) {
        List<String> values = null;
        int start = 0;
        int length = query.length();
        while (true) {
            int end = query.indexOf('&', start);
            if (end < 0) {
                end = length;
            }
            int equals = query.indexOf('=', start);
            int nameEnd = equals < 0 || equals > end ? end : equals;
            if (nameEnd - start == name.length() && query.startsWith(name, start)
                    || escapedNames && decodedNameIs(query.substring(start, nameEnd), name)) {
                if (values == null) {
                    values = new ArrayList<>(1);
                }
                if (nameEnd < end) {
                    values.add(query.substring(nameEnd + 1, end));
                }
            }
            if (end == length) {
                return values;
            }
            start = end + 1;
        }
    }

    /** Whether {@code rawName}, percent-decoded, is {@code name}; a name with a malformed escape is no field's. */
    private static boolean decodedNameIs(String rawName, String name) {
        if (rawName.indexOf('%') < 0 && rawName.indexOf('+') < 0) {
            return false; // compared as written already
        }
        try {
            return new String(PercentDecoding.decode(rawName, name, PercentDecoding.Unescaped.BYTES), StandardCharsets.UTF_8).equals(name);
        } catch (InputRefusedException e) {
            return false;
        }
    }

    /** Whether a part's name in {@code query} holds an escape or a {@code +}, so its decoded name differs. */
    static boolean hasEscapedName(String query) {
        boolean inName = true;
        for (int i = 0; i < query.length(); i++) {
            char c = query.charAt(i);
            if (c == '&') {
                inName = true;
            } else if (c == '=') {
                inName = false;
            } else if (inName && (c == '%' || c == '+')) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code raw} is printable ASCII with no escape and no {@code +}: then it stands for itself. */
    static boolean plainAscii(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '%' || c == '+') {
                return false;
            }
        }
        return true;
    }

    public List<InputProblem> problems() {
        return problems;
    }

    private String percentDecoded(String field, String raw) {
        if (plainAscii(raw)) {
            return raw; // what decoding and strict UTF-8 make of it, without their buffers and decoder: most values of a busy route
        }
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
