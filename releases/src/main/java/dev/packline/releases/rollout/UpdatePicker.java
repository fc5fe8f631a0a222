package dev.packline.releases.rollout;

import dev.packline.releases.Artifact;
import dev.packline.releases.Release;
import dev.packline.releases.ReleaseState;
import dev.packline.releases.Rollout;


/**
 * Chooses what one client is offered among the releases of its deployment, platform and kind
 * (newest first). In order: the newest rolling-out release whose whitelist lists the client, else
 * the newest rolling-out release whose gray cohort holds it (brand chosen, bucket below the
 * percentage), else the newest full release. Only releases that apply to the client's version and
 * have a file for its channel count.
 *
 * <p>The client is up to date when it already has the chosen release, or when it has a newer
 * release that is still offered (lowering a percentage stops offering a release to some clients;
 * it does not take it back from those who installed it). A client on a rolled-back release is
 * offered the choice even though it is older: that is what rolling back means.
 */
public final class UpdatePicker {
    private UpdatePicker() {
    }

    public static Decision pick(ReleaseList releases, ClientInfo client) {
        Release installed = releases.installed(client.sign());
        ServedRelease gray = null;
        ServedRelease full = null;
        String brandKey = client.brand() == null ? null : Rollout.brandKey(client.brand());
        for (ServedRelease s : releases.newestFirst()) {
            Release r = s.release();
            if (!r.state().offered() || (full != null && r.state() == ReleaseState.FULL)) {
                continue; // an older full release can no longer be chosen: skip it before the costlier tests below
            }
            if (!r.clientVersions().contains(client.version()) || r.artifactFor(client.channel()).isEmpty()) {
                continue;
            }
            if (r.state() == ReleaseState.FULL) {
                if (full == null) {
                    full = s;
                }
                continue;
            }
            if (client.clientId() != null && s.whitelist().contains(client.clientId())) {
                return decide(s, CheckOutcome.WHITELIST, installed, client);
            }
            if (gray == null && r.rollout().basisPoints() > 0 && client.clientId() != null && r.rollout().brandKeyChosen(brandKey)
                    && GrayBucket.of(r.rollout().salt(), client.clientId()) < r.rollout().basisPoints()) {
                gray = s;
            }
        }
        if (gray != null) {
            return decide(gray, CheckOutcome.GRAY, installed, client);
        }
        return full == null ? Decision.UP_TO_DATE : decide(full, CheckOutcome.FULL, installed, client);
    }

    private static Decision decide(ServedRelease chosen, CheckOutcome outcome, Release installed, ClientInfo client) {
        Release r = chosen.release();
        if (installed != null && installed.state() != ReleaseState.ROLLED_BACK && installed.id() >= r.id()) {
            return Decision.UP_TO_DATE;
        }
        Artifact file = r.artifactFor(client.channel()).orElseThrow();
        if (file.matches(client.sign())) {
            return Decision.UP_TO_DATE;
        }
        return new Decision(outcome, r, file, r.patchFrom(client.sign()).orElse(null));
    }
}
