package dev.packline.packaging.increment;

import static dev.packline.packaging.PackagingException.Problem.INVALID_ARGUMENT;
import static dev.packline.packaging.PackagingException.Problem.IO;
import static dev.packline.packaging.PackagingException.Problem.UNREADABLE_INPUT;

import dev.packline.packaging.PackagingException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;

/**
 * Strict UTF-8 reading of the text files chunk increments are made between: a file that is not
 * UTF-8 is refused by name instead of being silently repaired with replacement characters (which
 * would make the rebuilt file differ from the real one).
 */
final class TextFiles {
    private TextFiles() {
    }

    /** Checks that {@code file} is a readable regular file, naming it as {@code role} in the error. */
    static long requireFile(Path file, String role) throws PackagingException {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new PackagingException(UNREADABLE_INPUT, "the " + role + " file " + file + " is missing, not a regular file, or not readable");
        }
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new PackagingException(IO, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** A strict UTF-8 reader of {@code file} whose bytes also go through {@code digest}. */
    static Reader open(Path file, MessageDigest digest) throws IOException {
        return new InputStreamReader(new DigestInputStream(Files.newInputStream(file), digest), strictDecoder());
    }

    /** A strict UTF-8 reader of {@code file}. */
    static Reader open(Path file) throws IOException {
        return new InputStreamReader(Files.newInputStream(file), strictDecoder());
    }

    private static java.nio.charset.CharsetDecoder strictDecoder() {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /** The whole of {@code file} as text. */
    static String read(Path file, String role) throws PackagingException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw notUtf8(file, role, e);
        } catch (IOException e) {
            throw new PackagingException(IO, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static PackagingException notUtf8(Path file, String role, CharacterCodingException e) {
        return new PackagingException(INVALID_ARGUMENT, "the " + role + " file " + file
                + " is not UTF-8 text (chunk increments are for text; use --format bsdiff-gz for binary files)", e);
    }
}
