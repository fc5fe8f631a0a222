package dev.packline.queue;

/**
 * One group of a queue version as the admin tool shows it: its settings, the jobs it runs now
 * (across all workers) and the jobs parked because it is at its cap.
 */
public record GroupStatus(String group, GroupSettings settings, long running, long parked) {
}
