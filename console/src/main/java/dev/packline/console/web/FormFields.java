package dev.packline.console.web;

import dev.packline.http.input.InputProblem;
import dev.packline.http.input.InputRefusedException;
import dev.packline.http.input.NameRule;
import dev.packline.http.input.ProblemKind;
import dev.packline.http.input.RequestBody;
import dev.packline.http.input.StrictUtf8;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A submitted form ({@code application/x-www-form-urlencoded}) through the same strict path as the
 * producer API's JSON bodies (http-input): the body read within its limit by {@link RequestBody},
 * every value percent-decoded to bytes and then decoded by {@link StrictUtf8} (malformed UTF-8 is
 * refused, never replaced), names checked by {@link NameRule}; every refusal names its field.
 */
public final class FormFields {
    private static final NameRule NAMES = new NameRule(128);
    private final Map<String, List<String>> values;

    private FormFields(Map<String, List<String>> values) {
        this.values = values;
    }

    public static FormFields read(ServerRequest req, long maxBytes) {
        String type = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
        if (!type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            throw InputRefusedException.of(415, "Content-Type", ProblemKind.INVALID_REQUEST,
                    "a console form is sent as application/x-www-form-urlencoded, got '" + Html.cut(type, 60) + "'");
        }
        return parse(RequestBody.read(req, maxBytes));
    }

    static FormFields parse(byte[] body) {
        String ascii = new String(body, java.nio.charset.StandardCharsets.ISO_8859_1);
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (ascii.isEmpty()) {
            return new FormFields(values);
        }
        int position = 0;
        for (String pair : ascii.split("&", -1)) {
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            String name = StrictUtf8.decode(percentDecode(rawName, "field name at byte " + position), "field name at byte " + position);
            String value = StrictUtf8.decode(percentDecode(eq < 0 ? "" : pair.substring(eq + 1), name), name);
            values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            position += pair.length() + 1;
        }
        return new FormFields(values);
    }

    private static byte[] percentDecode(String raw, String field) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '+') {
                out.write(' ');
            } else if (c == '%') {
                int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw InputRefusedException.invalid(field, "a '%' not followed by two hex digits at character " + i);
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else if (c > 0x7e || c < 0x20) {
                throw InputRefusedException.invalid(field, "a raw byte 0x" + Integer.toHexString(c) + " a form encoder would have escaped");
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    /** The field's one value, or null when absent; sent twice is refused. */
    public String text(String field) {
        List<String> all = values.get(field);
        if (all == null) {
            return null;
        }
        if (all.size() > 1) {
            throw InputRefusedException.invalid(field, "sent " + all.size() + " times; the form has one");
        }
        return all.getFirst();
    }

    /** The field's value, refused with a message naming it when absent or blank. */
    public String required(String field) {
        String value = text(field);
        if (value == null || value.isBlank()) {
            throw InputRefusedException.of(400, field, ProblemKind.MISSING_FIELD, "required");
        }
        return value;
    }

    /** Every value of a repeated field (checkboxes), in order. */
    public List<String> all(String field) {
        return values.getOrDefault(field, List.of());
    }

    /** A name (account, app, deployment, label key...) by {@link NameRule}: NFC, no characters that hide or reorder text. */
    public String name(String field) {
        List<InputProblem> problems = new ArrayList<>();
        String name = NAMES.normalise(field, required(field), problems);
        if (!problems.isEmpty()) {
            throw new InputRefusedException(400, problems, false);
        }
        return name;
    }

    /** Names, one per line of a text area (a whitelist, brands), blank lines skipped, each by {@link NameRule}. */
    public List<String> lines(String field) {
        String text = text(field);
        List<String> out = new ArrayList<>();
        List<InputProblem> problems = new ArrayList<>();
        if (text == null) {
            return out;
        }
        String[] lines = text.split("\r?\n|,");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!line.isEmpty()) {
                String name = NAMES.normalise(field + "[" + i + "]", line, problems);
                if (name != null) {
                    out.add(name);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InputRefusedException(400, problems, false);
        }
        return out;
    }

    public boolean has(String field) {
        return values.containsKey(field);
    }

    /** Every field and value but the CSRF token and the confirmation: what a confirmation page sends again. */
    public Map<String, List<String>> toResend() {
        Map<String, List<String>> copy = new LinkedHashMap<>(values);
        copy.remove(Page.CSRF_FIELD);
        copy.remove(Page.CONFIRM_FIELD);
        return copy;
    }
}
