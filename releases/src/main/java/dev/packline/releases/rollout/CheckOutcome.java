package dev.packline.releases.rollout;

/** Why a client got the answer it got (also the {@code outcome} tag of the check metrics). */
public enum CheckOutcome {
    /** Nothing newer applies to it, or it already has the release it would be offered. */
    UP_TO_DATE,
    /** Offered a release whose whitelist lists it. */
    WHITELIST,
    /** Offered a rolling-out release: its brand is chosen and its bucket is inside the percentage. */
    GRAY,
    /** Offered the newest full release. */
    FULL
}
