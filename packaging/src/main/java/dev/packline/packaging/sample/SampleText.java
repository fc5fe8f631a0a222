package dev.packline.packaging.sample;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Compressible text that changes a little from release to release, like code or resources: lines
 * of tokens; release 2 and later replace every 97th line and insert one every 211 lines. The same
 * (seed, lines, release) always gives the same bytes.
 */
public final class SampleText {
    private static final String[] WORDS = {"invoke-virtual", "move-result", "const-string", "iget-object", "return-void",
            "Landroid/app/Activity;", "Ljava/lang/String;", "onCreate", "setContentView", "packline", "channel", "v0", "v1",
            "p0", "p1", "if-eqz", "goto", ":cond_0", "new-instance", "check-cast", "华为", "小米", "{\"id\":", "\"name\":"};

    private SampleText() {
    }

    public static byte[] lines(long seed, int lines, int release) {
        SplittableRandom random = new SplittableRandom(seed);
        SplittableRandom edits = new SplittableRandom(seed * 31 + release);
        StringBuilder text = new StringBuilder(lines * 40);
        for (int line = 0; line < lines; line++) {
            String content = line(random);
            if (release > 1 && line % 97 == 13) {
                content = line(edits);
            }
            if (release > 1 && line % 211 == 7) {
                text.append(line(edits)).append('\n');
            }
            text.append(content).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String line(SplittableRandom random) {
        StringBuilder line = new StringBuilder("    ");
        int words = 2 + random.nextInt(5);
        for (int i = 0; i < words; i++) {
            line.append(WORDS[random.nextInt(WORDS.length)]).append(i + 1 < words ? " " : "");
        }
        return line.append(" # ").append(random.nextInt(100_000)).toString();
    }
}
