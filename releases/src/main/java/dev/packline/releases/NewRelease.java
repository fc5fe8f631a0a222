package dev.packline.releases;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a publisher asks for when it creates a release; {@link #problems()} lists everything wrong
 * with it at once. The release starts as a draft with an empty rollout.
 *
 * @param labels the first labels: key to (type, value)
 */
public record NewRelease(String app, String deployment, String platform, ReleaseKind kind, String version, String clientVersions,
                         Map<String, Artifact> artifacts, List<Patch> patches, boolean mandatory, String notes,
                         List<NewLabel> labels, String source) {
    private static final Pattern PLATFORM = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");

    /** A label to add: key, type and value. */
    public record NewLabel(String key, LabelType type, com.fasterxml.jackson.databind.JsonNode value) {
    }

    public NewRelease {
        artifacts = artifacts == null ? Map.of() : Map.copyOf(artifacts);
        patches = patches == null ? List.of() : List.copyOf(patches);
        labels = labels == null ? List.of() : List.copyOf(labels);
    }

    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (!App.validId(app)) {
            problems.add("app: 1 to 128 letters, digits, '.', '_' or '-'");
        }
        if (!Deployment.validName(deployment)) {
            problems.add("deployment: 1 to 32 lower-case letters, digits, '_' or '-'");
        }
        if (platform == null || !PLATFORM.matcher(platform).matches()) {
            problems.add("platform: a lower-case name such as android or ios");
        }
        if (kind == null) {
            problems.add("kind: apk, bundle or offline");
        }
        if (version == null || !VERSION.matcher(version).matches()) {
            problems.add("version: 1 to 64 letters, digits, '.', '_', '+' or '-'");
        }
        try {
            VersionRange.parse(clientVersions);
        } catch (IllegalArgumentException e) {
            problems.add("clientVersions: " + e.getMessage());
        }
        if (artifacts.isEmpty()) {
            problems.add("artifacts: at least one (one per channel for an APK release, '*' for a bundle)");
        }
        artifacts.forEach((channel, artifact) -> {
            String p = artifact.problem();
            if (p != null) {
                problems.add("artifacts." + channel + ": " + p);
            }
        });
        for (int i = 0; i < patches.size(); i++) {
            String p = patches.get(i).file().problem();
            if (p != null) {
                problems.add("patches[" + i + "]: " + p);
            }
        }
        if (notes != null && notes.length() > 10_000) {
            problems.add("notes: at most 10,000 characters");
        }
        for (NewLabel label : labels) {
            String p = Label.problem(label.key(), label.type(), label.value());
            if (p != null) {
                problems.add("labels: " + p);
            }
        }
        if (labels.stream().map(NewLabel::key).distinct().count() < labels.size()) {
            problems.add("labels: a key is listed twice");
        }
        return problems;
    }
}
