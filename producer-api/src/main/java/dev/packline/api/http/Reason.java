package dev.packline.api.http;

import java.util.Locale;

/** Why a call failed: the bounded set used in error bodies and as the {@code reason} tag of {@code packline_api_errors_total}. */
public enum Reason {
    INVALID_REQUEST, UNKNOWN_FIELD, MISSING_FIELD, BODY_TOO_LARGE, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, RATE_LIMITED, TOO_MANY_CHANNELS,
    CONFLICT, INTERNAL;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
