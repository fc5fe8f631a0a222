package dev.packline.apkpatch;

import java.util.zip.Deflater;

/**
 * The zlib settings that reproduce one deflated entry: level 0 to 9, strategy (zlib's numbers,
 * which are {@link Deflater}'s: 0 default, 1 filtered, 2 Huffman only) and whether the stream is
 * raw deflate ({@code nowrap}, window bits -15) or zlib-wrapped (window bits 15). Memory level is
 * always 8, zlib's and Java's default.
 */
public final class DeflateSettings {
    private final int level;
    private final int strategy;
    private final boolean nowrap;

    public DeflateSettings(int level, int strategy, boolean nowrap) {
        if (level < 0 || level > 9) {
            throw new IllegalArgumentException("deflate level must be 0 to 9, not " + level);
        }
        if (strategy < 0 || strategy > 2) {
            throw new IllegalArgumentException("deflate strategy must be 0 (default), 1 (filtered) or 2 (Huffman only), not " + strategy);
        }
        this.level = level;
        this.strategy = strategy;
        this.nowrap = nowrap;
    }

    public int level() {
        return level;
    }

    public int strategy() {
        return strategy;
    }

    public boolean nowrap() {
        return nowrap;
    }

    /** A fresh deflater with these settings; the caller ends it. */
    public Deflater newDeflater() {
        Deflater deflater = new Deflater(level, nowrap);
        deflater.setStrategy(strategy);
        return deflater;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof DeflateSettings)) {
            return false;
        }
        DeflateSettings that = (DeflateSettings) other;
        return level == that.level && strategy == that.strategy && nowrap == that.nowrap;
    }

    @Override
    public int hashCode() {
        return level * 31 * 31 + strategy * 31 + (nowrap ? 1 : 0);
    }

    @Override
    public String toString() {
        String[] strategies = {"default", "filtered", "huffman-only"};
        return "level " + level + ", " + strategies[strategy] + (nowrap ? ", raw" : ", zlib-wrapped");
    }
}
