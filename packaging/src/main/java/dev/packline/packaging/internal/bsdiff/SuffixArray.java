package dev.packline.packaging.internal.bsdiff;

import java.util.Arrays;

/**
 * The suffix array bsdiff searches, built in linear time by SA-IS (Nong, Zhang and Chan, 2009):
 * the same array as jbsdiff's qsufsort (element 0 is the empty suffix, then every suffix of the
 * data in order), which is Larsson-Sadakane and slows down badly on the repetitive uncompressed
 * data of delta-friendly files. Memory: about 9 bytes per data byte (the text as ints, the array,
 * the types), plus half of that again in the first recursion at most.
 */
public final class SuffixArray {
    private SuffixArray() {
    }

    /** The sorted suffixes of {@code data}, {@code data.length + 1} of them, the empty one first. */
    public static int[] of(byte[] data) {
        int n = data.length + 1;
        int[] text = new int[n];
        for (int i = 0; i < data.length; i++) {
            text[i] = (data[i] & 0xff) + 1;
        }
        int[] suffixes = new int[n];
        sort(text, suffixes, n, 257);
        return suffixes;
    }

    /** Sorts the suffixes of {@code s[0..n)}, whose last symbol is a unique smallest 0, into {@code sa[0..n)}. */
    private static void sort(int[] s, int[] sa, int n, int k) {
        if (n == 1) {
            sa[0] = 0;
            return;
        }
        boolean[] sType = new boolean[n];
        sType[n - 1] = true;
        for (int i = n - 2; i >= 0; i--) {
            sType[i] = s[i] < s[i + 1] || (s[i] == s[i + 1] && sType[i + 1]);
        }
        int[] buckets = new int[k];
        bucketEnds(s, n, buckets);
        Arrays.fill(sa, 0, n, -1);
        for (int i = 1; i < n; i++) {
            if (isLms(sType, i)) {
                sa[--buckets[s[i]]] = i;
            }
        }
        induce(s, sa, sType, n, buckets);

        int lmsCount = 0;
        for (int i = 0; i < n; i++) {
            if (isLms(sType, sa[i])) {
                sa[lmsCount++] = sa[i];
            }
        }
        Arrays.fill(sa, lmsCount, n, -1);
        int names = 0;
        int previous = -1;
        for (int i = 0; i < lmsCount; i++) {
            int position = sa[i];
            boolean differs = false;
            for (int d = 0; d < n; d++) {
                if (previous == -1 || s[position + d] != s[previous + d] || sType[position + d] != sType[previous + d]) {
                    differs = true;
                    break;
                }
                if (d > 0 && (isLms(sType, position + d) || isLms(sType, previous + d))) {
                    break;
                }
            }
            if (differs) {
                names++;
                previous = position;
            }
            sa[lmsCount + position / 2] = names - 1;
        }
        for (int i = n - 1, j = n - 1; i >= lmsCount; i--) {
            if (sa[i] >= 0) {
                sa[j--] = sa[i];
            }
        }
        int[] reduced = Arrays.copyOfRange(sa, n - lmsCount, n);
        if (names < lmsCount) {
            sort(reduced, sa, lmsCount, names);
        } else {
            for (int i = 0; i < lmsCount; i++) {
                sa[reduced[i]] = i;
            }
        }
        for (int i = 1, j = 0; i < n; i++) {
            if (isLms(sType, i)) {
                reduced[j++] = i;
            }
        }
        for (int i = 0; i < lmsCount; i++) {
            sa[i] = reduced[sa[i]];
        }
        Arrays.fill(sa, lmsCount, n, -1);
        bucketEnds(s, n, buckets);
        for (int i = lmsCount - 1; i >= 0; i--) {
            int position = sa[i];
            sa[i] = -1;
            sa[--buckets[s[position]]] = position;
        }
        induce(s, sa, sType, n, buckets);
    }

    /** Places L-type suffixes from the left of their buckets, then S-type ones from the right. */
    private static void induce(int[] s, int[] sa, boolean[] sType, int n, int[] buckets) {
        bucketStarts(s, n, buckets);
        for (int i = 0; i < n; i++) {
            int j = sa[i] - 1;
            if (j >= 0 && !sType[j]) {
                sa[buckets[s[j]]++] = j;
            }
        }
        bucketEnds(s, n, buckets);
        for (int i = n - 1; i >= 0; i--) {
            int j = sa[i] - 1;
            if (j >= 0 && sType[j]) {
                sa[--buckets[s[j]]] = j;
            }
        }
    }

    private static boolean isLms(boolean[] sType, int i) {
        return i > 0 && sType[i] && !sType[i - 1];
    }

    private static void bucketStarts(int[] s, int n, int[] buckets) {
        counts(s, n, buckets);
        for (int c = 0, sum = 0; c < buckets.length; c++) {
            int count = buckets[c];
            buckets[c] = sum;
            sum += count;
        }
    }

    private static void bucketEnds(int[] s, int n, int[] buckets) {
        counts(s, n, buckets);
        for (int c = 0, sum = 0; c < buckets.length; c++) {
            sum += buckets[c];
            buckets[c] = sum;
        }
    }

    private static void counts(int[] s, int n, int[] buckets) {
        Arrays.fill(buckets, 0);
        for (int i = 0; i < n; i++) {
            buckets[s[i]]++;
        }
    }
}
