package dev.packline.console.auth;

import java.util.Objects;

/**
 * One console account from the configuration.
 *
 * @param passwordHash a bcrypt hash ({@code bin/packline console hash-password} makes one); never the password
 * @param publisher    for {@link Role#PUBLISHER}: the producer API publisher whose apps and requests it sees; null otherwise
 */
public record Account(String name, String passwordHash, Role role, String publisher) {
    public Account {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(role, "role");
    }

    public boolean may(Permission permission) {
        return permission.allows(role);
    }

    /** Whether the account may see an app (or a request) owned by {@code owner}: publishers only their own. */
    public boolean sees(String owner) {
        return role != Role.PUBLISHER || publisher.equals(owner);
    }

    @Override
    public String toString() {
        return name + " (" + role.wireName() + ")"; // never the hash
    }
}
