package dev.packline.http.input;

import java.util.Locale;

/**
 * What kind of problem one piece of input has. The names are the {@code reason} tags of the
 * documented JSON error shape ({@link #tag()}), so an app can report them as they are.
 */
public enum ProblemKind {
    /** The value is there but not acceptable (malformed, out of range, a refused character...). */
    INVALID_REQUEST,
    /** A field the body may not have. */
    UNKNOWN_FIELD,
    /** A required field is absent or null. */
    MISSING_FIELD,
    /** The body is larger than the limit. */
    BODY_TOO_LARGE,
    /** The body is sent in a Content-Encoding the server does not decode. */
    UNSUPPORTED_ENCODING,
    /** The request line or headers are larger than the server reads. */
    HEADERS_TOO_LARGE;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
