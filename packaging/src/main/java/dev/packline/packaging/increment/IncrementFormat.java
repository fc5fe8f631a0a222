package dev.packline.packaging.increment;

import java.util.Arrays;
import java.util.Optional;

/** The increment formats Packline makes besides classic bsdiff; {@link #cliName()} is what {@code --format} takes. */
public enum IncrementFormat {
    /** Chunk increments for UTF-8 text: a JSON object whose {@code data} array is literals and [first, count] chunk runs. */
    CHUNK("chunk"),
    /** bsdiff's control/diff/extra blocks, gzip-compressed, behind a header carrying both SHA-256s. */
    BSDIFF_GZIP("bsdiff-gz");

    private final String cliName;

    IncrementFormat(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static Optional<IncrementFormat> byCliName(String name) {
        return Arrays.stream(values()).filter(format -> format.cliName.equals(name)).findFirst();
    }
}
