package dev.packline.queue.upgrade;

import java.util.List;

/**
 * Where a shadow run stands: how many copies were made and dropped, how the compared pairs came
 * out, how many wait for their other side, and the latest mismatches and failures with both results.
 *
 * @param run      the run, or null when it was stopped (the counts of its last comparison remain until they expire)
 * @param waiting  pairs with one side ended (a real job still running, or a shadow job waiting behind real work)
 */
public record ShadowReport(String queue, int from, int to, ShadowRun run, long copied, long dropped, long matches,
                           long mismatches, long failures, long waiting, List<Example> examples) {

    /** One mismatch or failure: the real job's id and what each side ended with. */
    public record Example(String job, ShadowVerdict verdict, long at, ShadowResult real, ShadowResult shadow) {
    }

    public ShadowReport {
        examples = List.copyOf(examples);
    }

    /** Pairs compared so far. */
    public long compared() {
        return matches + mismatches + failures;
    }

    /** Mismatches among compared pairs, 0 to 1 (0 when nothing was compared). */
    public double mismatchRate() {
        return compared() == 0 ? 0 : (double) mismatches / compared();
    }
}
