package dev.packline.update.increment;

import dev.packline.pipeline.artifact.PatchFormat;
import dev.packline.http.input.InputRefusedException;
import dev.packline.http.input.RequestFields;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The patch and increment formats a client says it can apply: {@code formats} (query) or
 * {@code X-Patch-Formats} (header), a comma-separated list of format names ({@code bsdiff},
 * {@code zip-aware}, {@code chunk}, {@code bsdiff-gz}, {@code offline-patch}). Names this server
 * does not know are ignored (a newer client may list formats an older server lacks); a malformed
 * list is refused. A client that says nothing can apply {@code bsdiff}, what every client was
 * offered before formats existed.
 */
public final class AcceptedFormats {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    private static final int MAX_NAMES = 16;
    private static final String QUERY = "formats";
    private static final HeaderName HEADER = HeaderNames.create("X-Patch-Formats");

    private AcceptedFormats() {
    }

    /** The formats from the call's fields, which may have been read for other fields already (their problems answered). */
    public static Set<PatchFormat> read(RequestFields fields) {
        int before = fields.problems().size();
        String text = fields.value(QUERY, HEADER); // strict decoding, once only
        if (fields.problems().size() > before) {
            throw new InputRefusedException(400, List.copyOf(fields.problems().subList(before, fields.problems().size())), false);
        }
        if (text == null) {
            // given but empty ("formats="): the client applies no patch; not given: bsdiff
            boolean given = fields.given(QUERY, HEADER);
            return given ? EnumSet.noneOf(PatchFormat.class) : EnumSet.of(PatchFormat.BSDIFF);
        }
        String[] names = text.split(",", -1);
        if (names.length > MAX_NAMES) {
            throw refused("at most " + MAX_NAMES + " format names");
        }
        Set<PatchFormat> formats = EnumSet.noneOf(PatchFormat.class);
        for (String raw : names) {
            String name = raw.trim();
            if (!NAME.matcher(name).matches()) {
                throw refused("a comma-separated list of format names such as bsdiff,zip-aware; '" + (name.length() > 32 ? name.substring(0, 32)
                        + "..." : name) + "' is not one");
            }
            PatchFormat.byWireName(name).ifPresent(formats::add);
        }
        return formats;
    }

    private static InputRefusedException refused(String message) {
        return InputRefusedException.invalid(QUERY, message);
    }
}
