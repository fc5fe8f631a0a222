package dev.packline.releases;

import java.util.regex.Pattern;

/**
 * A place an app's releases go ({@code staging}, {@code production}), with the public key its
 * clients send to the check route. The key is not a secret (it ships inside the app); it only says
 * which deployment a client belongs to.
 */
public record Deployment(String name, String key) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }
}
