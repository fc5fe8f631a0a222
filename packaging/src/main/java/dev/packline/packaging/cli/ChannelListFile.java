package dev.packline.packaging.cli;

import static dev.packline.packaging.PackagingException.Problem.INVALID_ARGUMENT;
import static dev.packline.packaging.PackagingException.Problem.IO;

import dev.packline.packaging.Channel;
import dev.packline.packaging.PackagingException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The channel list file: UTF-8, one channel per line, "#" comments and blank lines ignored, and
 * optional extras after a TAB as "k=v,k=v". Errors name the line.
 */
final class ChannelListFile {
    private ChannelListFile() {
    }

    /** Channels of the file, each with {@code commonExtras} under its own extras. */
    static List<Channel> read(Path file, Map<String, String> commonExtras) throws PackagingException {
        String text;
        try {
            byte[] bytes = Files.readAllBytes(file);
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new PackagingException(INVALID_ARGUMENT, "channels file " + file + " is not valid UTF-8", e);
        } catch (IOException e) {
            throw new PackagingException(IO, "cannot read channels file " + file + ": " + e.getMessage(), e);
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<Channel> channels = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int number = 1; number <= lines.length; number++) {
            String line = lines[number - 1].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int tab = line.indexOf('\t');
            String name = (tab < 0 ? line : line.substring(0, tab)).strip();
            Map<String, String> extras = new LinkedHashMap<>(commonExtras);
            if (tab >= 0) {
                extras.putAll(parseExtras(List.of(line.substring(tab + 1).strip().split(",")), "line " + number));
            }
            try {
                channels.add(Channel.of(name, extras));
            } catch (PackagingException e) {
                throw new PackagingException(e.problem(), file.getFileName() + " line " + number + ": " + e.getMessage(), e);
            }
        }
        if (channels.isEmpty()) {
            throw new PackagingException(INVALID_ARGUMENT, "channels file " + file + " lists no channel");
        }
        return channels;
    }

    /** "k=v" items; {@code where} names their origin in errors. */
    static Map<String, String> parseExtras(List<String> items, String where) throws PackagingException {
        Map<String, String> extras = new LinkedHashMap<>();
        for (String item : items) {
            String trimmed = item.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            if (equals <= 0) {
                throw new PackagingException(INVALID_ARGUMENT, where + ": extra '" + trimmed + "' is not key=value");
            }
            extras.put(trimmed.substring(0, equals).strip(), trimmed.substring(equals + 1).strip());
        }
        return extras;
    }
}
