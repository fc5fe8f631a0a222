package dev.packline.releases.rollout;

import dev.packline.releases.Artifact;
import dev.packline.releases.Patch;
import dev.packline.releases.Release;

/**
 * The answer to one client: up to date, or a release with the file for its channel and, when
 * Packline has one from the client's installed file, a patch.
 *
 * @param release  null when up to date
 * @param artifact null when up to date
 * @param patch    null when there is none
 */
public record Decision(CheckOutcome outcome, Release release, Artifact artifact, Patch patch) {
    public static final Decision UP_TO_DATE = new Decision(CheckOutcome.UP_TO_DATE, null, null, null);

    public boolean update() {
        return outcome != CheckOutcome.UP_TO_DATE;
    }
}
