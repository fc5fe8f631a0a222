package dev.packline.pipeline.artifact;

import dev.packline.pipeline.RequestProblem;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A JS bundle or an offline package submitted by a publisher: where the file is (a file://,
 * https:// or store://NAME/KEY location, as a mother), what it is (app, kind, name and version),
 * where it goes, and from how many earlier stored versions of the same (app, kind, name)
 * increments are made. Validated as a whole: {@link #problems()} lists every problem.
 *
 * @param name       what the file is within the app ({@code index.android.bundle}, an offline package id):
 *                   versions of one name are diffed against each other
 * @param increments how many earlier versions get an increment to this one (0 to {@link #MAX_INCREMENTS})
 */
public record ArtifactSubmission(String id, String publisher, String appId, ArtifactKind kind, String name, String version, String location,
                                 String outputStore, String outputPrefix, int increments) {
    public static final int DEFAULT_INCREMENTS = 5;
    public static final int MAX_INCREMENTS = 20;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");

    public ArtifactSubmission {
        outputPrefix = outputPrefix == null ? "" : outputPrefix;
    }

    /** Every problem, by field; empty when it is valid. */
    public List<RequestProblem> problems() {
        List<RequestProblem> problems = new ArrayList<>();
        if (id == null || !ID.matcher(id).matches()) {
            problems.add(new RequestProblem("id", "1 to 64 letters, digits, '-' or '_', got '" + id + "'"));
        }
        if (appId == null || appId.isBlank()) {
            problems.add(new RequestProblem("appId", "required"));
        }
        if (kind == null || kind == ArtifactKind.APK) {
            problems.add(new RequestProblem("kind", "bundle or offline (APKs come from packaging requests, POST /v1/jobs)"));
        }
        if (name == null || !NAME.matcher(name).matches()) {
            problems.add(new RequestProblem("name", "1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit"));
        }
        if (version == null || !VERSION.matcher(version).matches()) {
            problems.add(new RequestProblem("version", "1 to 64 letters, digits, '.', '_', '+' or '-', starting with a letter or digit"));
        }
        if (location == null || !(location.startsWith("file:") || location.startsWith("https://") || location.startsWith("store://"))) {
            problems.add(new RequestProblem("location", "a file://, https:// or store://NAME/KEY location of the file, got '" + location + "'"));
        }
        if (outputStore == null || outputStore.isBlank()) {
            problems.add(new RequestProblem("outputStore", "required"));
        }
        if (outputPrefix.contains("..") || outputPrefix.startsWith("/")) {
            problems.add(new RequestProblem("outputPrefix", "may not start with '/' or contain '..'"));
        }
        if (increments < 0 || increments > MAX_INCREMENTS) {
            problems.add(new RequestProblem("increments", "0 to " + MAX_INCREMENTS + ", got " + increments));
        }
        return problems;
    }

    /**
     * The object key the stored file gets: prefix, name, version, the start of its SHA-256 (a
     * version submitted again with other bytes never overwrites an object that increments name),
     * kind's extension.
     */
    public String objectKey(String sha256) {
        return outputPrefix + name + "-" + version + "-" + sha256.substring(0, 16) + kind.extension();
    }
}
