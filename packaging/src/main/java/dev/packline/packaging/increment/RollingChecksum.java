package dev.packline.packaging.increment;

/**
 * rsync's weak checksum over a window of UTF-16 code units: {@code a} is the sum of the units,
 * {@code b} the sum weighted by distance from the window's end, both mod 2^16. Sliding the window
 * by one unit is O(1), which is what makes the chunk maker linear in the new file's length.
 */
final class RollingChecksum {
    private final int window;
    private int a;
    private int b;

    RollingChecksum(int window) {
        this.window = window;
    }

    /** Starts over on {@code text[from, from + window)}. */
    void reset(char[] text, int from) {
        int sumA = 0;
        int sumB = 0;
        for (int i = 0; i < window; i++) {
            sumA += text[from + i];
            sumB += (window - i) * text[from + i];
        }
        a = sumA & 0xffff;
        b = sumB & 0xffff;
    }

    /** Slides the window one unit: {@code leaving} drops out at its start, {@code entering} joins at its end. */
    void roll(char leaving, char entering) {
        a = (a - leaving + entering) & 0xffff;
        b = (b - window * leaving + a) & 0xffff;
    }

    int value() {
        return (b << 16) | a;
    }

    /** The checksum of {@code text[from, from + window)} computed from scratch. */
    static int of(char[] text, int from, int window) {
        RollingChecksum checksum = new RollingChecksum(window);
        checksum.reset(text, from);
        return checksum.value();
    }
}
