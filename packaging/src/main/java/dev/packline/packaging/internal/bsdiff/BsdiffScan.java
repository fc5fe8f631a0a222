package dev.packline.packaging.internal.bsdiff;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Colin Percival's bsdiff scan (bsdiff 4.3) over two in-memory files, the one core every Packline
 * bsdiff-style maker shares: the zip-aware APK maker and the bsdiff-gz increment maker differ only in
 * how they encode and compress its output. The scan hands each control triple to a {@link Control}
 * (each format writes its integers its own way) and writes the diff bytes (new minus old) and the
 * extra bytes to two streams. The old file's suffix array is built in linear time ({@link SuffixArray},
 * SA-IS) and searched by binary search, as bsdiff's {@code search} does.
 */
public final class BsdiffScan {
    private static final int BUFFER = 1 << 16;

    /** Receives bsdiff's control triples in order: add {@code add} diff bytes, copy {@code copy} extra bytes, move the old position by {@code seek}. */
    @FunctionalInterface
    public interface Control {
        void triple(long add, long copy, long seek) throws IOException;
    }

    private final byte[] chunk = new byte[BUFFER];

    /** Writes the instructions turning {@code old} into {@code target}. */
    public void diff(byte[] old, byte[] target, Control control, OutputStream diff, OutputStream extra) throws IOException {
        int[] suffixes = SuffixArray.of(old);
        int scan = 0;
        int length = 0;
        int lastScan = 0;
        int lastPosition = 0;
        int lastOffset = 0;
        int position = 0;
        long[] found = new long[1];
        while (scan < target.length) {
            int oldScore = 0;
            int scoreScan = scan += length;
            for (; scan < target.length; scan++) {
                length = search(suffixes, old, target, scan, found);
                position = (int) found[0];
                for (; scoreScan < scan + length; scoreScan++) {
                    if (scoreScan + lastOffset < old.length && old[scoreScan + lastOffset] == target[scoreScan]) {
                        oldScore++;
                    }
                }
                if ((length == oldScore && length != 0) || length > oldScore + 8) {
                    break;
                }
                if (scan + lastOffset < old.length && old[scan + lastOffset] == target[scan]) {
                    oldScore--;
                }
            }
            if (length != oldScore || scan == target.length) {
                int forward = forwardExtension(old, target, lastScan, lastPosition, scan);
                int backward = scan < target.length ? backwardExtension(old, target, lastScan, scan, position) : 0;
                if (lastScan + forward > scan - backward) {
                    int overlap = (lastScan + forward) - (scan - backward);
                    int score = 0;
                    int bestScore = 0;
                    int split = 0;
                    for (int i = 0; i < overlap; i++) {
                        if (target[lastScan + forward - overlap + i] == old[lastPosition + forward - overlap + i]) {
                            score++;
                        }
                        if (target[scan - backward + i] == old[position - backward + i]) {
                            score--;
                        }
                        if (score > bestScore) {
                            bestScore = score;
                            split = i + 1;
                        }
                    }
                    forward += split - overlap;
                    backward -= split;
                }
                int extraLength = (scan - backward) - (lastScan + forward);
                writeDiff(old, lastPosition, target, lastScan, forward, diff);
                extra.write(target, lastScan + forward, extraLength);
                control.triple(forward, extraLength, (long) (position - backward) - (lastPosition + forward));
                lastScan = scan - backward;
                lastPosition = position - backward;
                lastOffset = position - scan;
            }
        }
    }

    /**
     * The longest match of {@code target[scan..]} among the old file's suffixes (its length; its
     * old position goes to {@code position[0]}): bsdiff's binary search, narrowing to two neighbours
     * in the suffix array and keeping the longer match (the later one on a tie).
     */
    static int search(int[] suffixes, byte[] old, byte[] target, int scan, long[] position) {
        int start = 0;
        int end = old.length;
        int rest = target.length - scan;
        while (end - start >= 2) {
            int middle = start + (end - start) / 2;
            int at = suffixes[middle];
            int length = Math.min(old.length - at, rest);
            if (Arrays.compareUnsigned(old, at, at + length, target, scan, scan + length) < 0) {
                start = middle;
            } else {
                end = middle;
            }
        }
        int first = matchLength(old, suffixes[start], target, scan);
        int second = matchLength(old, suffixes[end], target, scan);
        if (first > second) {
            position[0] = suffixes[start];
            return first;
        }
        position[0] = suffixes[end];
        return second;
    }

    private static int matchLength(byte[] old, int at, byte[] target, int scan) {
        int length = Math.min(old.length - at, target.length - scan);
        int mismatch = Arrays.mismatch(old, at, at + length, target, scan, scan + length);
        return mismatch < 0 ? length : mismatch;
    }

    /** How far the previous match extends forward with at least half of the bytes equal. */
    private static int forwardExtension(byte[] old, byte[] target, int lastScan, int lastPosition, int scan) {
        int score = 0;
        int bestScore = 0;
        int best = 0;
        for (int i = 0; lastScan + i < scan && lastPosition + i < old.length;) {
            if (old[lastPosition + i] == target[lastScan + i]) {
                score++;
            }
            i++;
            if (score * 2 - i > bestScore * 2 - best) {
                bestScore = score;
                best = i;
            }
        }
        return best;
    }

    /** How far the next match extends backward with at least half of the bytes equal. */
    private static int backwardExtension(byte[] old, byte[] target, int lastScan, int scan, int position) {
        int score = 0;
        int bestScore = 0;
        int best = 0;
        for (int i = 1; scan >= lastScan + i && position >= i; i++) {
            if (old[position - i] == target[scan - i]) {
                score++;
            }
            if (score * 2 - i > bestScore * 2 - best) {
                bestScore = score;
                best = i;
            }
        }
        return best;
    }

    private void writeDiff(byte[] old, int oldStart, byte[] target, int targetStart, int length, OutputStream diff) throws IOException {
        for (int done = 0; done < length; done += BUFFER) {
            int count = Math.min(BUFFER, length - done);
            for (int i = 0; i < count; i++) {
                chunk[i] = (byte) (target[targetStart + done + i] - old[oldStart + done + i]);
            }
            diff.write(chunk, 0, count);
        }
    }
}
