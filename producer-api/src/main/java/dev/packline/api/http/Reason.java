package dev.packline.api.http;

import dev.packline.http.input.ProblemKind;

import java.util.Locale;

/** Why a call failed: the bounded set used in error bodies and as the {@code reason} tag of {@code packline_api_errors_total}. */
public enum Reason {
    INVALID_REQUEST, UNKNOWN_FIELD, MISSING_FIELD, BODY_TOO_LARGE, UNSUPPORTED_ENCODING, HEADERS_TOO_LARGE, UNAUTHORIZED, FORBIDDEN,
    NOT_FOUND, RATE_LIMITED, TOO_MANY_CHANNELS, PRIORITY_NOT_ALLOWED, CONFLICT, INTERNAL;

    /** The reason of an input problem found by the shared decoding path (the names are the same). */
    public static Reason of(ProblemKind kind) {
        return valueOf(kind.name());
    }

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
