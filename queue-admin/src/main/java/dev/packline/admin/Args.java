package dev.packline.admin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The admin CLI's arguments: positional words, {@code --option value} pairs and {@code --flag}s, checked against what a command accepts. */
final class Args {
    private final List<String> positional = new ArrayList<>();
    private final Map<String, String> options = new HashMap<>();
    private final Set<String> flags = new HashSet<>();

    static final Set<String> FLAGS = Set.of("--json", "--yes", "--force", "--wait", "--all", "--watch", "--help", "-h");

    static Args parse(List<String> words) {
        Args args = new Args();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (FLAGS.contains(w)) {
                args.flags.add(w.equals("-h") ? "--help" : w);
            } else if (w.startsWith("--")) {
                if (i + 1 >= words.size()) {
                    throw new UsageException(w + " needs a value");
                }
                args.options.put(w, words.get(++i));
            } else {
                args.positional.add(w);
            }
        }
        return args;
    }

    List<String> positional() {
        return positional;
    }

    String word(int index) {
        return index < positional.size() ? positional.get(index) : null;
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    String option(String name) {
        return options.get(name);
    }

    String required(String name) {
        String value = options.get(name);
        if (value == null) {
            throw new UsageException(name + " is required");
        }
        return value;
    }

    Integer integer(String name) {
        String value = options.get(name);
        if (value == null) {
            return null;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " needs a whole number, got '" + value + "'");
        }
    }

    /** Refuses options the command does not know: a typo must not silently widen a delete. */
    void allowOnly(Set<String> known) {
        for (String option : options.keySet()) {
            if (!known.contains(option) && !option.equals("--redis")) {
                throw new UsageException("unknown option " + option);
            }
        }
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
