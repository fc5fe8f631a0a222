package dev.packline.console.auth;

import dev.packline.console.Keys;
import redis.clients.jedis.UnifiedJedis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

import static dev.packline.redis.RedisErrors.call;

/**
 * Signed-in sessions, kept in Redis so any console instance serves them and a sign-out or a
 * restart of one instance does not matter. The browser holds a random 256-bit id in a cookie;
 * Redis holds it only as its SHA-256. Each session has its own CSRF token, which every form
 * carries. A session ends when idle for {@code idleTimeout} or {@code maxAge} after sign-in.
 */
public final class Sessions {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A live session: its id (the cookie's value), the account and the CSRF token of its forms. */
    public record Session(String id, String account, String csrfToken) {
    }

    private final UnifiedJedis redis;
    private final Clock clock;
    private final Duration idleTimeout;
    private final Duration maxAge;

    public Sessions(UnifiedJedis redis, Clock clock, Duration idleTimeout, Duration maxAge) {
        this.redis = redis;
        this.clock = clock;
        this.idleTimeout = idleTimeout;
        this.maxAge = maxAge;
    }

    public Session open(String account) {
        Session session = new Session(randomToken(), account, randomToken());
        String key = Keys.session(sha256(session.id()));
        call("open a session", () -> {
            redis.hset(key, Map.of("account", account, "csrf", session.csrfToken(), "signedInAt", Long.toString(clock.millis())));
            return redis.expire(key, idleTimeout.toSeconds());
        });
        return session;
    }

    /** The session of a cookie value, its idle time restarted; empty when unknown, expired or too old. */
    public Optional<Session> find(String id) {
        if (id == null || id.length() != 43) {
            return Optional.empty();
        }
        String key = Keys.session(sha256(id));
        Map<String, String> fields = call("read a session", () -> redis.hgetAll(key));
        if (fields.isEmpty()) {
            return Optional.empty();
        }
        if (clock.millis() - Long.parseLong(fields.get("signedInAt")) > maxAge.toMillis()) {
            close(id);
            return Optional.empty();
        }
        call("keep a session", () -> redis.expire(key, idleTimeout.toSeconds()));
        return Optional.of(new Session(id, fields.get("account"), fields.get("csrf")));
    }

    public void close(String id) {
        call("close a session", () -> redis.del(Keys.session(sha256(id))));
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** 32 random bytes, base64url without padding (43 characters). */
    public static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether two tokens are equal, in time that does not depend on where they differ. */
    public static boolean sameToken(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
