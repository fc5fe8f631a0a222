package dev.packline.api.auth;

import dev.packline.api.http.ApiError;
import dev.packline.api.http.Reason;
import dev.packline.api.auth.Publishers.Caller;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Who is calling, from the {@code Authorization: Bearer TOKEN} header, against the current
 * publisher table; {@link #replace} swaps in a re-read table (token rotation without a restart).
 * The token itself is never logged or kept: only its hash is compared.
 */
public final class Authenticator {
    private final AtomicReference<Publishers> publishers;

    public Authenticator(Publishers publishers) {
        this.publishers = new AtomicReference<>(publishers);
    }

    public void replace(Publishers next) {
        publishers.set(next);
    }

    public Publishers publishers() {
        return publishers.get();
    }

    /** The caller, or 401 when the header is missing, malformed or names no configured token. */
    public Caller caller(ServerRequest req) {
        Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
        if (header.isEmpty()) {
            throw ApiError.of(401, Reason.UNAUTHORIZED, "missing Authorization: Bearer TOKEN");
        }
        String value = header.get().trim();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiError.of(401, Reason.UNAUTHORIZED, "the Authorization header must be 'Bearer TOKEN'");
        }
        return publishers.get().authenticate(value.substring(7).trim())
                .orElseThrow(() -> ApiError.of(401, Reason.UNAUTHORIZED, "unknown or revoked token"));
    }
}
