package dev.packline.releases.serving;

import dev.packline.releases.App;
import dev.packline.releases.rollout.ReleaseList;

import java.util.Map;

/** One deployment as a snapshot serves it: its app and its releases per platform and kind. */
public record DeploymentView(App app, String deployment, Map<Target, ReleaseList> releases) {
    private static final ReleaseList NONE = new ReleaseList(java.util.List.of());

    public ReleaseList releases(Target target) {
        return releases.getOrDefault(target, NONE);
    }
}
