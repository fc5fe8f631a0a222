package dev.packline.update.increment;

import dev.packline.pipeline.artifact.PatchFormat;
import dev.packline.update.http.CallRefused;
import dev.packline.update.http.CallRefused.Problem;
import dev.packline.update.http.CallRefused.Why;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
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

    private AcceptedFormats() {
    }

    public static Set<PatchFormat> read(ServerRequest req) {
        List<String> query = req.query().all("formats", List::of);
        if (query.size() > 1) {
            throw refused("given " + query.size() + " times; give it once");
        }
        Optional<String> text = query.isEmpty() ? req.headers().first(HeaderNames.create("X-Patch-Formats")) : Optional.of(query.get(0));
        if (text.isEmpty()) {
            return EnumSet.of(PatchFormat.BSDIFF);
        }
        String[] names = text.get().split(",", -1);
        if (names.length > MAX_NAMES) {
            throw refused("at most " + MAX_NAMES + " format names");
        }
        Set<PatchFormat> formats = EnumSet.noneOf(PatchFormat.class);
        for (String raw : names) {
            String name = raw.trim();
            if (name.isEmpty() && names.length == 1) {
                return formats; // "formats=": the client applies no patch
            }
            if (!NAME.matcher(name).matches()) {
                throw refused("a comma-separated list of format names such as bsdiff,zip-aware; '" + (name.length() > 32 ? name.substring(0, 32)
                        + "..." : name) + "' is not one");
            }
            PatchFormat.byWireName(name).ifPresent(formats::add);
        }
        return formats;
    }

    private static CallRefused refused(String message) {
        return CallRefused.fields(List.of(new Problem("formats", Why.INVALID_REQUEST, message)));
    }
}
