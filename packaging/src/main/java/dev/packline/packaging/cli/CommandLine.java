package dev.packline.packaging.cli;

import static dev.packline.packaging.PackagingException.Problem.INVALID_ARGUMENT;

import dev.packline.packaging.PackagingException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The arguments of one subcommand: positional values and "--name value" options, checked against
 * the options the subcommand declares, so a typo is an error naming the option instead of being
 * silently ignored.
 */
final class CommandLine {
    private final List<String> positional = new ArrayList<>();
    private final Map<String, List<String>> options = new HashMap<>();
    private final Set<String> flags;

    private CommandLine(Set<String> flags) {
        this.flags = flags;
    }

    /**
     * Parses {@code args}; {@code valued} options take a value (and may repeat), {@code flags} take none.
     * "--name=value" works as well as "--name value".
     */
    static CommandLine parse(List<String> args, Set<String> valued, Set<String> flags) throws PackagingException {
        CommandLine line = new CommandLine(flags);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.equals("--")) {
                line.positional.add(arg);
                continue;
            }
            String name = arg.substring(2);
            String value = null;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            if (flags.contains(name)) {
                if (value != null) {
                    throw invalid("--" + name + " takes no value");
                }
                line.options.computeIfAbsent(name, key -> new ArrayList<>()).add("true");
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw invalid("--" + name + " needs a value");
                    }
                    value = args.get(++i);
                }
                line.options.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
            } else {
                throw invalid("unknown option --" + name);
            }
        }
        return line;
    }

    List<String> positional() {
        return positional;
    }

    boolean has(String flag) {
        return options.containsKey(flag);
    }

    Optional<String> value(String name) throws PackagingException {
        List<String> values = options.getOrDefault(name, List.of());
        if (values.size() > 1) {
            throw invalid("--" + name + " given " + values.size() + " times");
        }
        return values.stream().findFirst();
    }

    String required(String name) throws PackagingException {
        return value(name).orElseThrow(() -> invalid("missing --" + name));
    }

    List<String> values(String name) {
        return options.getOrDefault(name, List.of());
    }

    /** The single positional argument, named {@code what} in the error when it is missing or repeated. */
    String onePositional(String what) throws PackagingException {
        if (positional.size() != 1) {
            throw invalid(positional.isEmpty() ? "missing " + what : "expected one " + what + ", got " + positional);
        }
        return positional.get(0);
    }

    void noPositional() throws PackagingException {
        if (!positional.isEmpty()) {
            throw invalid("unexpected argument " + positional.get(0));
        }
    }

    static PackagingException invalid(String message) {
        return new PackagingException(INVALID_ARGUMENT, message);
    }
}
