package dev.packline.console.web;

import dev.packline.console.auth.Account;
import dev.packline.console.auth.Permission;
import dev.packline.console.auth.Sessions.Session;

/** Who is looking at a page: the signed-in account and its session (whose CSRF token the page's forms carry). */
public record Viewer(Account account, Session session) {

    public boolean may(Permission permission) {
        return account.may(permission);
    }

    /** Refuses with 403 naming the role when the account may not. */
    public void require(Permission permission, String what) {
        if (!account.may(permission)) {
            throw ConsoleRefusal.forbidden("the " + account.role().wireName() + " role may not " + what);
        }
    }

    public String name() {
        return account.name();
    }
}
