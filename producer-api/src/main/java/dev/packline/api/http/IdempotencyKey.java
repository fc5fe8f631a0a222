package dev.packline.api.http;

import dev.packline.http.input.AsciiParsers;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The {@code Idempotency-Key} header of the submit routes ({@code POST /v1/jobs}, {@code POST
 * /v1/artifacts}): 1 to 200 visible ASCII characters, or absent. A key names the record it creates
 * (the id derives from the publisher and the key), so a retry finds the record its first try made
 * on any instance, with nothing kept beside it.
 */
public final class IdempotencyKey {
    public static final String HEADER = "Idempotency-Key";

    private IdempotencyKey() {
    }

    /** The key, or null when the call has none; a malformed one is refused naming the header. */
    public static String read(ServerRequest req) {
        Optional<String> key = req.headers().first(HeaderNames.create(HEADER));
        if (key.isEmpty()) {
            return null;
        }
        return AsciiParsers.visible(HEADER, key.get(), 1, 200);
    }

    /** The id of the record a publisher's key creates: {@code prefix} and 24 hex digits of SHA-256(publisher, key). */
    public static String id(String prefix, String publisher, String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest((publisher + "\n" + key).getBytes(StandardCharsets.UTF_8));
            return prefix + HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
