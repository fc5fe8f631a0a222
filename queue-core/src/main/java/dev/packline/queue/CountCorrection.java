package dev.packline.queue;

/**
 * A capped group's running count that the janitor found wrong and set to what it counted among the
 * version's active jobs (a cap set by an older build's admin counts nothing; see fair_queue.lua).
 *
 * @param group   the group
 * @param found   the count that was kept
 * @param counted the group's running jobs, now the count
 */
public record CountCorrection(String group, long found, long counted) {
}
