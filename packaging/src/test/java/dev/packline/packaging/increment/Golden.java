package dev.packline.packaging.increment;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** The committed golden inputs and increments (src/test/resources/.../increment/golden), and generated text for round trips. */
final class Golden {
    private Golden() {
    }

    static Path file(String name) {
        try {
            return Path.of(Golden.class.getResource("golden/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A minified-looking bundle of {@code statements} statements (with Chinese text and a non-BMP
     * character now and then), and a next release of it: a share of statements edited, some inserted,
     * some removed, identifiers renamed in places, the way a minifier's output changes between releases.
     */
    static String[] bundlePair(long seed, int statements) {
        Random random = new Random(seed);
        StringBuilder older = new StringBuilder("/*! bundle */");
        StringBuilder newer = new StringBuilder("/*! bundle 2 */");
        for (int i = 0; i < statements; i++) {
            String statement = statement(random, i);
            older.append(statement);
            int fate = random.nextInt(100);
            if (fate < 4) {
                newer.append(statement.replace('a', 'q'));
            } else if (fate < 6) {
                newer.append(statement(random, i + 1_000_000)).append(statement);
            } else if (fate < 7) {
                continue;
            } else {
                newer.append(statement);
            }
        }
        return new String[] {older.toString(), newer.toString()};
    }

    private static String statement(Random random, int i) {
        String[] words = {"function", "return", "var", "this", "null", "prototype", "length", "push", "标签", "😀"};
        StringBuilder statement = new StringBuilder("function f" + Integer.toString(i, 36) + "(a,b){");
        for (int w = random.nextInt(6); w >= 0; w--) {
            statement.append(words[random.nextInt(words.length)]).append(random.nextInt(100)).append(';');
        }
        return statement.append("return a+b}").toString();
    }

    static void write(Path file, String text) throws IOException {
        Files.writeString(file, text);
    }
}
