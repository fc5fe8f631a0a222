package dev.packline.update.bench;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Issue 17's goals for {@code bin/packline bench update}, each read from the run's JSON line and
 * printed beside the figure it judges. A goal stated for a load or a catalogue (256 connections,
 * 1,000 apps of 20 releases) is not judged on a run with another.
 */
enum Goal {
    RATIO("ratio", ">= 0.8 (check route / constant-JSON ceiling)") {
        @Override
        boolean holds(JsonNode run) {
            return run.get("ratio").asDouble() >= 0.8;
        }
    },
    P99("p99Ms", "< 10 at 256 connections") {
        @Override
        boolean applies(JsonNode run) {
            return run.get("connections").asInt() == 256;
        }

        @Override
        boolean holds(JsonNode run) {
            return run.get("p99Ms").asDouble() < 10;
        }
    },
    PROPAGATION("propagationP99Ms", "< 200 (a rollout change seen by all 3 instances)") {
        @Override
        boolean holds(JsonNode run) {
            return run.get("propagationP99Ms").asDouble() < 200;
        }
    },
    HEAP("heapMb", "< 512 for 1,000 apps x 20 releases") {
        @Override
        boolean applies(JsonNode run) {
            return run.get("apps").asInt() >= 1000 && run.get("releases").asInt() >= 20_000;
        }

        @Override
        boolean holds(JsonNode run) {
            return run.get("heapMb").asDouble() < 512;
        }
    },
    NO_ERRORS("errors", "0 (every check answered 200)") {
        @Override
        boolean holds(JsonNode run) {
            return run.get("errors").asLong() == 0;
        }
    };

    /** What a run says about one goal. */
    enum Outcome {
        MET, NOT_MET, NOT_JUDGED;

        String label() {
            return name().toLowerCase().replace('_', ' ');
        }
    }

    final String figure;
    final String goal;

    Goal(String figure, String goal) {
        this.figure = figure;
        this.goal = goal;
    }

    boolean applies(JsonNode run) {
        return true;
    }

    abstract boolean holds(JsonNode run);

    Outcome judge(JsonNode run) {
        if (!applies(run)) {
            return Outcome.NOT_JUDGED;
        }
        return holds(run) ? Outcome.MET : Outcome.NOT_MET;
    }
}
