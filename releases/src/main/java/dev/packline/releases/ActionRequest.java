package dev.packline.releases;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * An action on a release as a publisher names it (producer API body, admin command line), before
 * it is checked: the action's name and whichever parameters it takes. {@link #toAction()} says what
 * is missing or wrong.
 *
 * @param percentage  for {@code set-percentage}: "0" to "100" in steps of 0.01
 * @param values      for {@code set-whitelist} (client ids) and {@code set-brands}
 * @param key         for {@code add-label} and {@code disable-label}
 * @param type        for {@code add-label}: string, number, boolean or json
 * @param value       for {@code add-label}
 */
public record ActionRequest(String action, String percentage, List<String> values, String key, String type, JsonNode value) {
    public static final List<String> NAMES = List.of("start", "pause", "resume", "full", "rollback", "set-whitelist", "set-brands",
            "set-percentage", "add-label", "disable-label");

    /** The action, or an {@link IllegalArgumentException} naming what is missing or wrong. */
    public ReleaseAction toAction() {
        if (action == null) {
            throw new IllegalArgumentException("action: required, one of " + String.join(", ", NAMES));
        }
        return switch (action) {
            case "start" -> new ReleaseAction.Start();
            case "pause" -> new ReleaseAction.Pause();
            case "resume" -> new ReleaseAction.Resume();
            case "full" -> new ReleaseAction.GoFull();
            case "rollback" -> new ReleaseAction.Rollback();
            case "set-whitelist" -> new ReleaseAction.SetWhitelist(required(values, "clientIds"));
            case "set-brands" -> new ReleaseAction.SetBrands(required(values, "brands"));
            case "set-percentage" -> new ReleaseAction.SetPercentage(Rollout.basisPoints(required(percentage, "percentage")));
            case "add-label" -> new ReleaseAction.AddLabel(required(key, "key"), Names.parse(LabelType.class, required(type, "type")),
                    required(value, "value"));
            case "disable-label" -> new ReleaseAction.DisableLabel(required(key, "key"));
            default -> throw new IllegalArgumentException("action: '" + action + "' is not one of " + String.join(", ", NAMES));
        };
    }

    private <T> T required(T v, String name) {
        if (v == null) {
            throw new IllegalArgumentException(name + ": required by '" + action + "'");
        }
        return v;
    }
}
