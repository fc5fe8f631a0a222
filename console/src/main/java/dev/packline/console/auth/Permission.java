package dev.packline.console.auth;

import java.util.EnumSet;
import java.util.Set;

import static dev.packline.console.auth.Role.ADMIN;
import static dev.packline.console.auth.Role.ONCALL;
import static dev.packline.console.auth.Role.PUBLISHER;

/**
 * Every kind of thing the console lets someone see or do, with the roles allowed. Pages show only
 * the buttons the viewer's role allows, and every action checks again on the server: a hidden
 * button is a convenience, the check is the rule. Publishers are further limited to their own apps
 * wherever {@link #RELEASES} and {@link #REQUESTS} apply.
 */
public enum Permission {
    /** Queues, versions, jobs, workers, dead letters. */
    QUEUES(ADMIN, ONCALL),
    /** Requeue dead letters, run a delayed or retrying job now. */
    RETRY_JOBS(ADMIN, ONCALL),
    /** Pause and resume a version. */
    PAUSE_QUEUES(ADMIN, ONCALL),
    /** Delete jobs and dead letters for good, cancel pending or running jobs. */
    DELETE_JOBS(ADMIN),
    /** Ask a live worker to recycle or stop. */
    WORKER_CONTROL(ADMIN, ONCALL),
    /** Create a version, make one current, drain one. */
    CHANGE_VERSIONS(ADMIN),
    /** Delete every key of a retired version. */
    OBLITERATE(ADMIN),
    /** See releases (publishers: their own apps only). */
    RELEASES(ADMIN, ONCALL, PUBLISHER),
    /** Create releases and act on them (publishers: their own apps only). */
    MANAGE_RELEASES(ADMIN, PUBLISHER),
    /** See packaging requests (publishers: their own only). */
    REQUESTS(ADMIN, ONCALL, PUBLISHER),
    /** Cancel a packaging request (publishers: their own only). */
    CANCEL_REQUESTS(ADMIN, ONCALL, PUBLISHER),
    /** Read the console's audit log. */
    AUDIT(ADMIN, ONCALL);

    private final Set<Role> roles;

    Permission(Role... roles) {
        this.roles = EnumSet.of(roles[0], roles);
    }

    public boolean allows(Role role) {
        return roles.contains(role);
    }
}
