package dev.packline.http.input;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    /** The query's parameters by raw name, split once (see {@link #rawQuery()}); null until a field is read. */
    private Map<String, List<String>> raw;
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
     * builds for them on every request. A name written with an escape or a {@code +} is rare: then
     * the server's own lookups answer, as before.
     */
    private List<String> rawValues(String queryName) {
        if (raw == null) {
            raw = rawQuery(req.query().rawValue());
            for (String name : raw.keySet()) {
                escapedNames |= name.indexOf('%') >= 0 || name.indexOf('+') >= 0;
            }
        }
        List<String> values = raw.get(queryName);
        if (values != null || !escapedNames) {
            return values;
        }
        return req.query().contains(queryName) ? req.query().getAllRaw(queryName) : null;
    }

    /**
     * The query split as the web server splits it for {@code getAllRaw}: at each {@code &}, then at
     * the first {@code =}; a part without one is a name with no value (an empty list).
     */
    static Map<String, List<String>> rawQuery(String query) {
        Map<String, List<String>> params = new HashMap<>();
        if (query == null) {
            return params;
        }
        int start = 0;
        while (true) {
            int end = query.indexOf('&', start);
            String part = end < 0 ? query.substring(start) : query.substring(start, end);
            int equals = part.indexOf('=');
            if (equals < 0) {
                params.putIfAbsent(part, new ArrayList<>(1));
            } else {
                params.computeIfAbsent(part.substring(0, equals), name -> new ArrayList<>(1)).add(part.substring(equals + 1));
            }
            if (end < 0) {
                return params;
            }
            start = end + 1;
        }
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
