package dev.packline.packaging.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.packline.packaging.PackagingException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a command's output goes: JSON lines on {@code out}, human messages on {@code err}, both
 * UTF-8 whatever the platform locale (channel names and labels are often Chinese). Tests pass
 * their own streams.
 */
final class Console {
    static final int OK = 0;
    static final int INTERNAL_ERROR = 1;

    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    final PrintStream out;
    final PrintStream err;

    Console(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    static Console system() {
        return new Console(new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8),
                new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
    }

    /** Prints one JSON object on one line. */
    void json(Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON for " + value, e);
        }
        out.flush();
    }

    /** Prints the error on stderr and returns its exit code. */
    int fail(PackagingException e) {
        err.println("packline: " + e.getMessage());
        err.flush();
        return e.problem().exitCode();
    }

    /** An unexpected failure: a bug or an environment problem; the stack trace helps whoever reports it. */
    int crash(Exception e) {
        err.println("packline: unexpected error: " + e);
        e.printStackTrace(err);
        err.flush();
        return INTERNAL_ERROR;
    }

    static Map<String, Object> object() {
        return new LinkedHashMap<>();
    }
}
