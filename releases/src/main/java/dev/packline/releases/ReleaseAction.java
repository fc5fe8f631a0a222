package dev.packline.releases;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** What can be done to a release; {@code rollout.Transitions} says in which states, and what it makes. */
public sealed interface ReleaseAction {
    /** The action's name in the audit list and on the command line. */
    String name();

    /** Offer it to its whitelist and gray cohort. */
    record Start() implements ReleaseAction {
        public String name() { return "start"; }
    }

    record Pause() implements ReleaseAction {
        public String name() { return "pause"; }
    }

    /** Paused because too many installs failed ({@code reason} says how many). */
    record AutoPause(String reason) implements ReleaseAction {
        public String name() { return "auto-pause"; }
    }

    record Resume() implements ReleaseAction {
        public String name() { return "resume"; }
    }

    /** Offer it to every client it applies to. */
    record GoFull() implements ReleaseAction {
        public String name() { return "full"; }
    }

    /** Withdraw it for good; its clients are offered the previous release. */
    record Rollback() implements ReleaseAction {
        public String name() { return "rollback"; }
    }

    record SetWhitelist(List<String> clientIds) implements ReleaseAction {
        public String name() { return "set-whitelist"; }
    }

    record SetBrands(List<String> brands) implements ReleaseAction {
        public String name() { return "set-brands"; }
    }

    /** @param basisPoints hundredths of a percent, 0 to 10,000 */
    record SetPercentage(int basisPoints) implements ReleaseAction {
        public String name() { return "set-percentage"; }
    }

    record AddLabel(String key, LabelType type, JsonNode value) implements ReleaseAction {
        public String name() { return "add-label"; }
    }

    record DisableLabel(String key) implements ReleaseAction {
        public String name() { return "disable-label"; }
    }
}
