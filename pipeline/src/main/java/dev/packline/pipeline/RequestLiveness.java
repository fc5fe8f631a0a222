package dev.packline.pipeline;

/**
 * Whether a stage should still work for a request: {@link #ACTIVE}, {@link #CANCEL_REQUESTED} (the
 * stage ends its channel as cancelled), or {@link #GONE} (no such request: never created, or expired
 * after its retention; the stage reports {@link RequestNotFoundException}).
 */
public enum RequestLiveness { ACTIVE, CANCEL_REQUESTED, GONE }
