package dev.packline.settings;

import java.util.List;

/** Configuration that cannot be used; the message lists every problem found, one per line. */
public class SettingsException extends RuntimeException {
    private final List<String> problems;

    public SettingsException(String source, List<String> problems) {
        super("invalid configuration in " + source + " (" + problems.size() + (problems.size() == 1 ? " problem" : " problems") + "):\n  - "
                + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
