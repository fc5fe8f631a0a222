package dev.packline.console;

/**
 * Every Redis key the console owns (ARCHITECTURE.md has the table of all keys). Session ids are
 * stored by their SHA-256, so a copy of Redis holds no session a browser could present.
 */
public final class Keys {
    private Keys() {
    }

    /** hash: one signed-in session (account, CSRF token, sign-in time); expires when idle. */
    public static String session(String idSha256) {
        return "pl:console:session:" + idSha256;
    }

    /** string: failed sign-ins of one account name in the current lockout window; expires with it. */
    public static String signInFailures(String account) {
        return "pl:console:signin-failures:" + account;
    }

    /** list: the console's audit log, newest first, JSON entries, capped. */
    public static String audit() {
        return "pl:console:audit";
    }
}
