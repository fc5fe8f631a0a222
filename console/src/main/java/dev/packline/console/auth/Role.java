package dev.packline.console.auth;

import java.util.Locale;

/**
 * What a console account may do. {@code admin}: everything. {@code oncall}: sees every queue, worker,
 * request and release; retries, requeues and pauses; never deletes, obliterates or changes versions.
 * {@code publisher}: only its own apps' requests and releases (the producer API's publisher of the
 * same name owns them), nothing of the queues.
 */
public enum Role {
    ADMIN, ONCALL, PUBLISHER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String text) {
        for (Role r : values()) {
            if (r.wireName().equals(text)) {
                return r;
            }
        }
        throw new IllegalArgumentException("expected admin, oncall or publisher, got '" + text + "'");
    }
}
