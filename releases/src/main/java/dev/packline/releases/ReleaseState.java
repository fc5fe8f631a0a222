package dev.packline.releases;

/**
 * Where a release is in its life. Only {@link #ROLLING_OUT} and {@link #FULL} releases are offered
 * to clients; {@link #ROLLED_BACK} is final, and clients on such a release are offered the newest
 * older release that matches them. The allowed moves are in {@code rollout.Transitions}.
 */
public enum ReleaseState {
    /** Created, offered to nobody yet. */
    DRAFT,
    /** Offered to its whitelist and to its gray cohort (brands and percentage). */
    ROLLING_OUT,
    /** Offered to every client it applies to. */
    FULL,
    /** Offered to nobody for now (by a publisher, or automatically when too many installs fail). */
    PAUSED,
    /** Withdrawn for good. */
    ROLLED_BACK;

    public boolean offered() {
        return this == ROLLING_OUT || this == FULL;
    }
}
