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
    /** The raw query split into its parts, when a field is first read. */
    private QueryParts query;

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
        QueryParts parts = parts();
        int part = parts.find(queryName, 0);
        if (part >= 0) {
            // the values of every part with this name; a part written without '=' names the field with no value
            String raw = null;
            int values = 0;
            for (; part >= 0; part = parts.find(queryName, part + 1)) {
                if (parts.hasValue(part)) {
                    values++;
                    raw = raw == null ? parts.value(part) : raw;
                }
            }
            if (values > 1) {
                problems.add(InputProblem.invalid(queryName, "given " + values + " times; give it once"));
                return null;
            }
            text = raw == null ? null : percentDecoded(queryName, raw);
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
     * Whether the query parameter (by its decoded name) or the header is there at all, even empty.
     */
    public boolean given(String queryName, HeaderName headerName) {
        return parts().find(queryName, 0) >= 0 || req.headers().contains(headerName);
    }

    private QueryParts parts() {
        if (query == null) {
            query = new QueryParts(req.query().rawValue());
        }
        return query;
    }

    /**
     * The raw values of the parameter whose decoded name is {@code name}, or null when the query
     * has none: what the web server's {@code query().contains(name)} and {@code getAllRaw(name)}
     * answer (a part without {@code =} is the name with no value), without the two maps (every name
     * and value decoded, then every one raw) the server builds for them on every request.
     */
    static List<String> rawValues(String query, String name) {
        QueryParts parts = new QueryParts(query);
        List<String> values = null;
        for (int part = parts.find(name, 0); part >= 0; part = parts.find(name, part + 1)) {
            if (values == null) {
                values = new ArrayList<>(1);
            }
            if (parts.hasValue(part)) {
                values.add(parts.value(part));
            }
        }
        return values;
    }

    /**
     * A raw query split once as the web server splits it for {@code getAllRaw}: at each {@code &},
     * then at the first {@code =}. Only offsets are kept; a name is compared in place, and only a
     * name written with an escape or a {@code +} is decoded (then once), since its decoded name
     * differs: the server's {@code contains} matches decoded names, so {@code clientI%64=x} is
     * {@code clientId}.
     */
    static final class QueryParts {
        private final String query;
        /** Per part: where its name starts, where it ends (at '=' or the part's end), where the part ends. */
        private final int[] at;
        private final int count;
        /** Per part, its decoded name when written with an escape; null when no name of the query is. */
        private final String[] decodedNames;

        QueryParts(String query) {
            this.query = query;
            int parts = 1;
            for (int i = query.indexOf('&'); i >= 0; i = query.indexOf('&', i + 1)) {
                parts++;
            }
            int[] at = new int[parts * 3];
            int start = 0;
            int length = query.length();
            boolean escapes = query.indexOf('%') >= 0 || query.indexOf('+') >= 0;
            String[] decoded = null;
            for (int p = 0; p < parts; p++) {
                int end = query.indexOf('&', start);
                if (end < 0) {
                    end = length;
                }
                int equals = query.indexOf('=', start);
                int nameEnd = equals < 0 || equals > end ? end : equals;
                at[p * 3] = start;
                at[p * 3 + 1] = nameEnd;
                at[p * 3 + 2] = end;
                if (escapes && escaped(query, start, nameEnd)) {
                    if (decoded == null) {
                        decoded = new String[parts];
                    }
                    decoded[p] = decodedName(query.substring(start, nameEnd));
                }
                start = end + 1;
            }
            this.at = at;
            this.count = parts;
            this.decodedNames = decoded;
        }

        /** The first part at or after {@code from} whose name is {@code name}, or -1. */
        int find(String name, int from) {
            for (int p = from; p < count; p++) {
                int start = at[p * 3];
                int nameEnd = at[p * 3 + 1];
                if (decodedNames != null && decodedNames[p] != null) {
                    if (decodedNames[p].equals(name)) {
                        return p;
                    }
                } else if (nameEnd - start == name.length() && query.startsWith(name, start)) {
                    return p;
                }
            }
            return -1;
        }

        boolean hasValue(int part) {
            return at[part * 3 + 1] < at[part * 3 + 2];
        }

        String value(int part) {
            return query.substring(at[part * 3 + 1] + 1, at[part * 3 + 2]);
        }

        private static boolean escaped(String query, int start, int end) {
            for (int i = start; i < end; i++) {
                char c = query.charAt(i);
                if (c == '%' || c == '+') {
                    return true;
                }
            }
            return false;
        }

        /** The name percent-decoded; a name with a malformed escape or invalid UTF-8 is no field's (an empty string never is one). */
        private static String decodedName(String rawName) {
            try {
                return StrictUtf8.decode(PercentDecoding.decode(rawName, "a parameter name", PercentDecoding.Unescaped.BYTES), "a parameter name");
            } catch (InputRefusedException e) {
                return "";
            }
        }
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
