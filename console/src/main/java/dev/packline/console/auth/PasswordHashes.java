package dev.packline.console.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * bcrypt password hashes (at.favre.lib:bcrypt): made by {@code console hash-password}, checked at
 * sign-in. bcrypt reads at most 72 bytes of a password; longer ones are refused when hashing rather
 * than silently cut.
 */
public final class PasswordHashes {
    /** The work factor of new hashes: 2^12 rounds, about a quarter of a second on a laptop. */
    public static final int COST = 12;
    private static final Pattern SHAPE = Pattern.compile("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}");
    /** Checked when the account does not exist, so an unknown name takes as long as a wrong password. */
    private static final String DECOY = BCrypt.withDefaults().hashToString(COST, "decoy password".toCharArray());

    private PasswordHashes() {
    }

    public static String hash(char[] password) {
        if (password.length == 0) {
            throw new IllegalArgumentException("the password is empty");
        }
        if (new String(password).getBytes(StandardCharsets.UTF_8).length > 72) {
            throw new IllegalArgumentException("the password is longer than the 72 bytes bcrypt reads");
        }
        return BCrypt.withDefaults().hashToString(COST, password);
    }

    /** Whether the text looks like a bcrypt hash (the configuration is checked with this at start). */
    public static boolean looksLikeHash(String text) {
        return text != null && SHAPE.matcher(text).matches();
    }

    public static boolean matches(char[] password, String hash) {
        return BCrypt.verifyer().verify(password, hash.toCharArray()).verified;
    }

    /** Spends the time of a check on nothing: for sign-ins of names that have no account. */
    public static void checkDecoy(char[] password) {
        BCrypt.verifyer().verify(password, DECOY.toCharArray());
    }
}
