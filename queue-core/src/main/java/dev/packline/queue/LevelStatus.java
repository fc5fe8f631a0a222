package dev.packline.queue;

import java.util.OptionalLong;

/**
 * One priority level of a queue version: its ready jobs (parked ones are counted per group) and
 * since when the job it hands out next has been ready (epoch ms; empty when the level has none),
 * which grows while the level waits for slots.
 */
public record LevelStatus(Priority level, long ready, OptionalLong nextReadySince) {
}
