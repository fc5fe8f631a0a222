package dev.packline.queue;

/**
 * One failed attempt of a job, from its error history (the last 10 are kept with the job's
 * record): when, which attempt, on which worker, and the error text the worker recorded.
 */
public record JobError(long atMillis, int attempt, String worker, String error) {
}
