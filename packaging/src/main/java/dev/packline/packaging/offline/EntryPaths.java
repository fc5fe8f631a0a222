package dev.packline.packaging.offline;

import java.util.Optional;

/**
 * The rule for file paths inside offline packages and patches: relative, '/'-separated, no empty,
 * "." or ".." segment, no backslash, no drive letter, no control character, at most 1024 bytes. A
 * path breaking it could write outside the directory a client extracts the package into.
 */
public final class EntryPaths {
    private static final int MAX_LENGTH = 1024;

    private EntryPaths() {
    }

    /** Why {@code path} is not allowed, or empty when it is. */
    public static Optional<String> problem(String path) {
        if (path.isEmpty()) {
            return Optional.of("an empty path");
        }
        if (path.length() > MAX_LENGTH) {
            return Optional.of("a path longer than " + MAX_LENGTH + " characters");
        }
        if (path.startsWith("/")) {
            return Optional.of("an absolute path");
        }
        if (path.indexOf('\\') >= 0) {
            return Optional.of("a backslash (paths use '/')");
        }
        if (path.length() >= 2 && path.charAt(1) == ':' && Character.isLetter(path.charAt(0))) {
            return Optional.of("a drive letter (an absolute Windows path)");
        }
        if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return Optional.of("a control character");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..")) {
                return Optional.of("a '..' segment that escapes the package root");
            }
            if (segment.isEmpty() || segment.equals(".")) {
                return Optional.of("an empty or '.' segment");
            }
        }
        return Optional.empty();
    }
}
