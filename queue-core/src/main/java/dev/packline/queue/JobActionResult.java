package dev.packline.queue;

/**
 * What an action did to one job. {@code state} is the job's state when the action found it not
 * applicable (for example run-now of a running job), its state before otherwise, and null when
 * the job was not found.
 */
public record JobActionResult(String id, JobAction action, JobActionOutcome outcome, JobState state) {
}
