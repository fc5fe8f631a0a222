package dev.packline.packaging;

import static dev.packline.packaging.PackagingException.Problem.INVALID_ARGUMENT;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A validated channel: its name and the extra key-values that go into the Walle JSON beside it.
 * Names end up in file names, ZIP entry names and client apps, so they are checked here once:
 * non-empty, at most {@value #MAX_NAME_BYTES} UTF-8 bytes, no path separators, no "..", no control
 * characters, no lone surrogates. Chinese and other non-ASCII names are fine.
 */
public record Channel(String name, Map<String, String> extras) {
    public static final int MAX_NAME_BYTES = 128;
    public static final int MAX_EXTRA_BYTES = 4096;
    private static final Pattern EXTRA_KEY = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    public Channel {
        extras = Collections.unmodifiableMap(new LinkedHashMap<>(extras));
    }

    /** A channel without extras. */
    public static Channel of(String name) throws PackagingException {
        return of(name, Map.of());
    }

    /** Validates name and extras; the exception names the channel and what is wrong with it. */
    public static Channel of(String name, Map<String, String> extras) throws PackagingException {
        if (name == null || name.isEmpty()) {
            throw invalid("channel name is empty");
        }
        String problem = nameProblem(name);
        if (problem != null) {
            throw invalid("invalid channel name '" + printable(name) + "': " + problem);
        }
        int extraBytes = 0;
        for (Map.Entry<String, String> extra : extras.entrySet()) {
            String key = extra.getKey();
            if (!EXTRA_KEY.matcher(key).matches()) {
                throw invalid("channel '" + name + "': extra key '" + printable(key)
                        + "' must be 1 to 64 of A-Z a-z 0-9 _ . -");
            }
            if (key.equals("channel")) {
                throw invalid("channel '" + name + "': extra key 'channel' is reserved for the channel name");
            }
            String value = extra.getValue();
            if (value == null || value.chars().anyMatch(Character::isISOControl) || hasLoneSurrogate(value)) {
                throw invalid("channel '" + name + "': extra '" + key + "' has no value or holds control characters");
            }
            extraBytes += key.length() + value.getBytes(StandardCharsets.UTF_8).length;
        }
        if (extraBytes > MAX_EXTRA_BYTES) {
            throw invalid("channel '" + name + "': extras exceed " + MAX_EXTRA_BYTES + " bytes");
        }
        return new Channel(name, extras);
    }

    private static String nameProblem(String name) {
        if (hasLoneSurrogate(name)) {
            return "not valid UTF-8 text";
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            return "longer than " + MAX_NAME_BYTES + " UTF-8 bytes";
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
            return "contains a path separator";
        }
        if (name.contains("..")) {
            return "contains '..'";
        }
        if (name.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                || Character.getType(c) == Character.LINE_SEPARATOR || Character.getType(c) == Character.PARAGRAPH_SEPARATOR)) {
            return "contains control or invisible formatting characters";
        }
        if (!name.strip().equals(name)) {
            return "starts or ends with white space";
        }
        return null;
    }

    private static boolean hasLoneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** The name with control characters escaped, for error messages. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    private static PackagingException invalid(String message) {
        return new PackagingException(INVALID_ARGUMENT, message);
    }
}
