package io.sluice.demoapi;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Faults the demo API injects on purpose, so clients can be tested against a misbehaving
 * upstream. Written as a comma-separated list of {@code kind:probability[:argument]} rules, e.g.
 * {@code 429:0.1:2,503:0.05,slow:0.2:1500,drop:0.01,malformed:0.05}:
 *
 * <ul>
 *   <li>{@code <status>} (400–599): answer the request (or refuse the stream) with that status;
 *       the argument is the {@code Retry-After} in seconds (default 1; sent for 429 and 503).
 *   <li>{@code slow}: wait the argument in milliseconds (default 1000) before a response or event.
 *   <li>{@code drop}: cut the connection abruptly — no final chunk, no close frame.
 *   <li>{@code malformed}: send a truncated, unparseable JSON body or event.
 * </ul>
 *
 * <p>Status rules are rolled once per request or stream connection; the others once per REST
 * response or per stream event. The probability is in {@code [0, 1]}; 1 makes a fault certain,
 * which is what tests use.
 */
public final class FaultSpec {

    /** No faults at all. */
    public static final FaultSpec NONE = new FaultSpec(List.of(), "");

    /** What happens to one response or stream event. */
    public enum ItemFault { NONE, SLOW, DROP, MALFORMED }

    private record Rule(String kind, double probability, long argument) {
    }

    private final List<Rule> rules;
    private final String text;

    private FaultSpec(List<Rule> rules, String text) {
        this.rules = List.copyOf(rules);
        this.text = text;
    }

    /**
     * Parses a spec; blank means {@link #NONE}.
     *
     * @throws IllegalArgumentException naming every bad rule at once
     */
    public static FaultSpec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return NONE;
        }
        List<Rule> rules = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String raw : spec.split(",")) {
            String ruleText = raw.trim();
            try {
                rules.add(parseRule(ruleText));
            } catch (IllegalArgumentException e) {
                problems.add("'" + ruleText + "': " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("fault spec '" + spec + "' is invalid: " + String.join("; ", problems)
                    + ". Expected comma-separated kind:probability[:argument], e.g. 429:0.1:2,slow:0.2:1500,drop:0.01");
        }
        return new FaultSpec(rules, spec.trim());
    }

    private static Rule parseRule(String ruleText) {
        String[] parts = ruleText.split(":");
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("needs kind:probability or kind:probability:argument");
        }
        String kind = parts[0].trim().toLowerCase(Locale.ROOT);
        boolean status = kind.matches("[45]\\d\\d");
        if (!status && !List.of("slow", "drop", "malformed").contains(kind)) {
            throw new IllegalArgumentException("kind must be a status 400-599, slow, drop or malformed, got '" + kind + "'");
        }
        double probability = parseNumber(parts[1], "probability");
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be between 0 and 1, got " + parts[1]);
        }
        long defaultArgument = kind.equals("slow") ? 1000 : 1;
        long argument = parts.length == 3 ? (long) parseNumber(parts[2], "argument") : defaultArgument;
        if (argument < 0) {
            throw new IllegalArgumentException("argument must be >= 0, got " + parts[2]);
        }
        return new Rule(kind, probability, argument);
    }

    private static double parseNumber(String text, String what) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a number, got '" + text + "'");
        }
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** Rolls the status rules: the status to answer with instead of serving, if any. */
    public OptionalInt rollStatus() {
        return rollStatus(ThreadLocalRandom.current());
    }

    OptionalInt rollStatus(RandomGenerator random) {
        for (Rule rule : rules) {
            if (Character.isDigit(rule.kind().charAt(0)) && hits(rule, random)) {
                return OptionalInt.of(Integer.parseInt(rule.kind()));
            }
        }
        return OptionalInt.empty();
    }

    /** Seconds to put in {@code Retry-After} for a status fault. */
    public long retryAfterSeconds(int status) {
        return rules.stream().filter(rule -> rule.kind().equals(Integer.toString(status)))
                .mapToLong(Rule::argument).findFirst().orElse(1);
    }

    /** Rolls the per-item rules; the first that hits wins, in the order written. */
    public ItemFault rollItem() {
        return rollItem(ThreadLocalRandom.current());
    }

    ItemFault rollItem(RandomGenerator random) {
        for (Rule rule : rules) {
            if (!Character.isDigit(rule.kind().charAt(0)) && hits(rule, random)) {
                return ItemFault.valueOf(rule.kind().toUpperCase(Locale.ROOT));
            }
        }
        return ItemFault.NONE;
    }

    /** How long a {@link ItemFault#SLOW} fault waits. */
    public long slowMillis() {
        return rules.stream().filter(rule -> rule.kind().equals("slow"))
                .mapToLong(Rule::argument).findFirst().orElse(1000);
    }

    private static boolean hits(Rule rule, RandomGenerator random) {
        // nextDouble() is in [0, 1), so probability 1 always hits and 0 never does.
        return rule.probability() > 0 && random.nextDouble() < rule.probability();
    }

    @Override
    public String toString() {
        return text.isEmpty() ? "none" : text;
    }
}
