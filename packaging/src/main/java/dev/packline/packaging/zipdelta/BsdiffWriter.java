package dev.packline.packaging.zipdelta;

import io.sigpipe.jbsdiff.sort.SearchResult;
import io.sigpipe.jbsdiff.sort.SuffixSort;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Colin Percival's bsdiff scan over two in-memory files, written as three separate streams
 * (control triples, diff bytes, extra bytes) instead of BSDIFF40's bzip2 blocks, so the patch
 * writer can compress each with LZMA and the applier can read them side by side. The suffix array
 * of the old file is built by {@link SuffixArray} (SA-IS) and searched with jbsdiff's search.
 */
final class BsdiffWriter {
    private static final int BUFFER = 1 << 16;

    private final byte[] chunk = new byte[BUFFER];

    /** Writes the instructions turning {@code old} into {@code target}. */
    void diff(byte[] old, byte[] target, DataOutputStream control, OutputStream diff, OutputStream extra) throws IOException {
        int[] suffixes = SuffixArray.of(old);
        int scan = 0;
        int length = 0;
        int lastScan = 0;
        int lastPosition = 0;
        int lastOffset = 0;
        int position = 0;
        while (scan < target.length) {
            int oldScore = 0;
            int scoreScan = scan += length;
            for (; scan < target.length; scan++) {
                SearchResult found = SuffixSort.search(suffixes, old, 0, target, scan, 0, old.length);
                length = found.getLength();
                position = found.getPosition();
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
                control.writeLong(forward);
                control.writeLong(extraLength);
                control.writeLong((long) (position - backward) - (lastPosition + forward));
                lastScan = scan - backward;
                lastPosition = position - backward;
                lastOffset = position - scan;
            }
        }
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
