package dev.packline.packaging.increment;

/**
 * The weak checksum the chunk maker rolls over the new file: a polynomial (Rabin-Karp) hash of a
 * window of UTF-16 code units, {@code sum of unit[i] * M^(window - 1 - i)} modulo 2^64. Sliding the
 * window by one unit is O(1), which is what makes the chunk maker linear in the new file's length.
 * rsync's two 16-bit sums were used first: on JavaScript text (code units mostly 32 to 127) their
 * values crowd together, so many different chunks shared a checksum and every lookup walked and
 * strong-hashed long chains; 64 well-mixed bits make a weak hit almost always a real match, and the
 * strong hash ({@link ChunkIndex}) still confirms each one.
 */
final class RollingChecksum {
    private static final long MULTIPLIER = 0x9E3779B97F4A7C15L;

    private final int window;
    /** MULTIPLIER^(window - 1): the weight of the unit leaving the window. */
    private final long leavingWeight;
    private long value;

    RollingChecksum(int window) {
        this.window = window;
        long weight = 1;
        for (int i = 1; i < window; i++) {
            weight *= MULTIPLIER;
        }
        this.leavingWeight = weight;
    }

    /** Starts over on {@code text[from, from + window)}. */
    void reset(char[] text, int from) {
        long sum = 0;
        for (int i = 0; i < window; i++) {
            sum = sum * MULTIPLIER + text[from + i];
        }
        value = sum;
    }

    /** Slides the window one unit: {@code leaving} drops out at its start, {@code entering} joins at its end. */
    void roll(char leaving, char entering) {
        value = (value - leaving * leavingWeight) * MULTIPLIER + entering;
    }

    long value() {
        return value;
    }

    /** The checksum of {@code text[from, from + window)} computed from scratch. */
    static long of(char[] text, int from, int window) {
        RollingChecksum checksum = new RollingChecksum(window);
        checksum.reset(text, from);
        return checksum.value();
    }
}
