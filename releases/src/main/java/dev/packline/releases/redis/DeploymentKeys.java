package dev.packline.releases.redis;

import java.security.SecureRandom;
import java.util.Base64;

/** Makes deployment keys: {@code dk_} and 24 random URL-safe characters (144 bits), so keys cannot be guessed or enumerated. */
final class DeploymentKeys {
    private final SecureRandom random = new SecureRandom();

    String next() {
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        return "dk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
