package dev.packline.releases;

/** Why a change to apps or releases was refused. */
public enum Refusal {
    /** No such app, deployment or release. */
    NOT_FOUND,
    /** The caller may not manage this app. */
    FORBIDDEN,
    /** The input is malformed or contradictory. */
    INVALID,
    /** The release's state does not allow the action (a rolled-back release cannot go full...). */
    NOT_ALLOWED,
    /** It exists already, or others kept changing it at the same time. */
    CONFLICT
}
