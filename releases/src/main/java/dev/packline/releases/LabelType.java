package dev.packline.releases;

import com.fasterxml.jackson.databind.JsonNode;

/** The type of a label's value, as clients receive it. */
public enum LabelType {
    STRING, NUMBER, BOOLEAN, JSON;

    /** Whether {@code value} is of this type (JSON takes any value, objects and arrays included). */
    public boolean accepts(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return false;
        }
        return switch (this) {
            case STRING -> value.isTextual();
            case NUMBER -> value.isNumber();
            case BOOLEAN -> value.isBoolean();
            case JSON -> true;
        };
    }
}
