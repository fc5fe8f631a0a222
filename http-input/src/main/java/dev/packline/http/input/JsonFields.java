package dev.packline.http.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the fields of one JSON object of a body, collecting a problem per bad field instead of
 * stopping at the first, so a refusal lists them all: unknown fields, missing ones, and values of
 * the wrong type (a string where a string belongs, a whole number where a number does, never a
 * number in quotes or a fraction). Field names in problems are full paths from the body's root
 * ({@code channels[2].extra.k}).
 */
public final class JsonFields {
    private final ObjectNode node;
    private final String path;
    private final List<InputProblem> problems;

    /** The body's root object; problems go to {@code problems}. */
    public JsonFields(ObjectNode node, List<InputProblem> problems) {
        this(node, "", problems);
    }

    /** An object nested at {@code path}, sharing its parent's problem list. */
    public JsonFields(ObjectNode node, String path, List<InputProblem> problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    /** Refuses every field not in {@code known}, naming the known ones. */
    public JsonFields only(Set<String> known) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                problems.add(new InputProblem(child(path, name), ProblemKind.UNKNOWN_FIELD,
                        "unknown field; known fields: " + String.join(", ", new TreeSet<>(known))));
            }
        }
        return this;
    }

    /** Notes every field of {@code required} that is absent or null. */
    public JsonFields required(Collection<String> required) {
        for (String name : required) {
            if (!node.hasNonNull(name)) {
                problems.add(new InputProblem(child(path, name), ProblemKind.MISSING_FIELD, "required"));
            }
        }
        return this;
    }

    /** The field's string, or null when it is absent, null or not a string (the last noted as a problem). */
    public String text(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            problems.add(InputProblem.invalid(child(path, name), "must be a string, got " + describe(value)));
            return null;
        }
        return value.textValue();
    }

    /** The field's list of strings; empty when absent or null; each non-string item is a problem. */
    public List<String> texts(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            problems.add(InputProblem.invalid(child(path, name), "must be a list of strings, got " + describe(value)));
            return List.of();
        }
        List<String> out = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (item.isTextual()) {
                out.add(item.textValue());
            } else {
                problems.add(InputProblem.invalid(child(path, name) + "[" + i + "]", "must be a string, got " + describe(item)));
            }
        }
        return out;
    }

    /**
     * The field's whole number within {@code [min, max]}, or {@code absent} when it is absent or
     * null. A fraction, an exponent, a string of digits or a value out of range is a problem.
     */
    public long wholeNumber(String name, long min, long max, long absent) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return absent;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < min || value.longValue() > max) {
            problems.add(InputProblem.invalid(child(path, name), "must be a whole number from " + min + " to " + max + ", got " + describe(value)));
            return absent;
        }
        return value.longValue();
    }

    /** The field's object, to read with its own {@link JsonFields}; null when absent, null or not an object. */
    public JsonFields object(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            problems.add(InputProblem.invalid(child(path, name), "must be an object, got " + describe(value)));
            return null;
        }
        return new JsonFields((ObjectNode) value, child(path, name), problems);
    }

    /** The field's value as it is, for shapes of its own (a list of strings or objects...); null when absent or null. */
    public JsonNode raw(String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value;
    }

    /** The path of this object, {@code ""} for the root. */
    public String path() {
        return path;
    }

    /** The path of a field of this object. */
    public String at(String name) {
        return child(path, name);
    }

    public List<InputProblem> problems() {
        return problems;
    }

    /** {@code a.b}, or {@code b} at the root. */
    static String child(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** A value's JSON type in a word, for messages (never the value itself, which may be huge). */
    public static String describe(JsonNode value) {
        return switch (value.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "the number " + value; // at most 24 characters (JsonBody.MAX_NUMBER_CHARS)
            case BOOLEAN -> "true/false";
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            case NULL, MISSING -> "null";
            default -> value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
