package dev.packline.queue.upgrade;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What one delivery of a job produced, in the terms a shadow run compares: the output's facts by
 * name (for a channel APK: its SHA-256, size and whether it verifies), or the error it ended with.
 * Two outputs match when every fact is equal; a failure on either side is never a match.
 *
 * @param outcome what the delivery ended with
 * @param output  facts of the output (empty when it failed), compared key by key
 * @param error   why it failed (null when it produced an output)
 */
public record ShadowResult(Outcome outcome, Map<String, String> output, String error) {
    /** How a compared delivery ended. */
    public enum Outcome {
        /** the delivery produced an output */
        PRODUCED,
        /** the delivery failed for good (rejected, or its attempts used up) */
        FAILED
    }

    public ShadowResult {
        Objects.requireNonNull(outcome, "outcome");
        output = output == null ? Map.of() : Map.copyOf(new TreeMap<>(output));
        if (outcome == Outcome.PRODUCED && output.isEmpty()) {
            throw new IllegalArgumentException("a produced shadow result needs at least one fact to compare");
        }
        if (outcome == Outcome.FAILED && (error == null || error.isBlank())) {
            throw new IllegalArgumentException("a failed shadow result needs its error");
        }
    }

    public static ShadowResult produced(Map<String, String> output) {
        return new ShadowResult(Outcome.PRODUCED, output, null);
    }

    public static ShadowResult failed(String error) {
        return new ShadowResult(Outcome.FAILED, Map.of(), error);
    }

    /**
     * The text two results are compared by: the facts in key order, or {@code failed} (the
     * comparison script decides on these, so the verdict is the same in every worker).
     */
    public String comparable() {
        if (outcome == Outcome.FAILED) {
            return "failed";
        }
        return new TreeMap<>(output).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n"));
    }

    /** One line for reports: {@code sha256=ab12… size=1234 verified=true} or {@code failed: ...}. */
    public String describe() {
        if (outcome == Outcome.FAILED) {
            return "failed: " + error;
        }
        return new TreeMap<>(output).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }
}
