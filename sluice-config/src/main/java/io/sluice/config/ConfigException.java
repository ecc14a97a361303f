package io.sluice.config;

import java.util.List;
import java.util.stream.Collectors;

/** Bad configuration. Carries every problem found, so the user fixes them all in one go. */
public class ConfigException extends SluiceException {
    private final List<ConfigProblem> problems;

    public ConfigException(String source, List<ConfigProblem> problems) {
        super(describe(source, problems));
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String message) {
        super(message);
        this.problems = List.of();
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String describe(String source, List<ConfigProblem> problems) {
        String header = problems.size() == 1 ? "1 problem in " + source + ":" : problems.size() + " problems in " + source + ":";
        return problems.stream().map(p -> "  - " + p).collect(Collectors.joining("\n", header + "\n", ""));
    }
}
