package dev.packline.releases;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A typed key/value returned to clients with a release (force an update, show a page...). Labels
 * are added and disabled, never deleted, so what a client was once told can always be traced.
 *
 * @param enabled    false once disabled; a disabled label is kept but no longer sent
 * @param changedAt  when it was added or disabled (epoch ms)
 * @param changedBy  who added or disabled it
 */
public record Label(String key, LabelType type, JsonNode value, boolean enabled, long changedAt, String changedBy) {
    private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");

    public Label {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
    }

    /** What is wrong with a new label, or null when it is fine. */
    public static String problem(String key, LabelType type, JsonNode value) {
        if (key == null || !KEY.matcher(key).matches()) {
            return "a label key is 1 to 64 letters, digits, '_', '.' or '-', starting with a letter";
        }
        if (type == null) {
            return "label '" + key + "' needs a type: string, number, boolean or json";
        }
        if (!type.accepts(value)) {
            return "label '" + key + "' is of type " + type.name().toLowerCase(java.util.Locale.ROOT) + " but its value is "
                    + (value == null || value.isMissingNode() ? "missing" : value.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (value.toString().length() > 4096) {
            return "label '" + key + "' has a value longer than 4096 characters of JSON";
        }
        return null;
    }

    Label disabled(long at, String by) {
        return new Label(key, type, value, false, at, by);
    }
}
