package dev.packline.packaging.internal.bsdiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.packline.packaging.sample.SampleText;
import io.sigpipe.jbsdiff.sort.SuffixSort;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** SA-IS gives exactly the array jbsdiff's qsufsort gives, on random, repetitive and tiny inputs. */
class SuffixArrayTest {
    @Test
    void sameArrayAsJbsdiffsQsufsort() {
        SplittableRandom random = new SplittableRandom(42);
        for (int round = 0; round < 300; round++) {
            byte[] data = new byte[random.nextInt(0, 300)];
            int alphabet = 1 + random.nextInt(round % 3 == 0 ? 2 : 256);
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) random.nextInt(alphabet);
            }
            assertSame(data);
        }
        byte[] zeros = new byte[5000];
        assertSame(zeros);
        byte[] repeated = "abcabcabcabcabd".repeat(300).getBytes(StandardCharsets.US_ASCII);
        assertSame(repeated);
        assertSame(SampleText.lines(3, 3000, 2));
        byte[] noise = new byte[200_000];
        random.nextBytes(noise);
        assertSame(noise);
        byte[] highBytes = new byte[1000];
        Arrays.fill(highBytes, (byte) 0xff);
        highBytes[500] = (byte) 0x80;
        assertSame(highBytes);
    }

    private static void assertSame(byte[] data) {
        int[] expected = new int[data.length + 1];
        SuffixSort.qsufsort(expected, new int[data.length + 1], data);
        assertArrayEquals(expected, SuffixArray.of(data), () -> "for " + data.length + " bytes");
    }
}
