package io.sluice.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The replication of the sink keyspace, written {@code SimpleStrategy:3} or
 * {@code NetworkTopologyStrategy:dc1=3,dc2=2} ({@code sink.replication}): the CQL strategy class and its factors, in one
 * line that also works in {@code --set}.
 *
 * @param strategy {@link #SIMPLE} or {@link #NETWORK_TOPOLOGY}
 * @param factors  {@code replication_factor} for SimpleStrategy; one entry per data center for NetworkTopologyStrategy
 */
public record KeyspaceReplication(String strategy, Map<String, Integer> factors) {
    public static final String SIMPLE = "SimpleStrategy";
    public static final String NETWORK_TOPOLOGY = "NetworkTopologyStrategy";
    static final int MAX_FACTOR = 32;
    private static final String FORMS = "write SimpleStrategy:<factor> or NetworkTopologyStrategy:<dc>=<factor>,<dc>=<factor>, "
            + "e.g. SimpleStrategy:3 or NetworkTopologyStrategy:dc1=3,dc2=2";
    private static final Pattern DATA_CENTER = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");

    public KeyspaceReplication {
        factors = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(factors)); // sorted: a stable CQL text
    }

    public static KeyspaceReplication simple(int factor) {
        return new KeyspaceReplication(SIMPLE, Map.of("replication_factor", factor));
    }

    /** Parses the config form; the exception's message lists every problem of the value at once. */
    public static KeyspaceReplication parse(String text) {
        String t = text.strip();
        int colon = t.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("must name a strategy and its factors: " + FORMS);
        }
        String strategy = t.substring(0, colon).strip();
        String rest = t.substring(colon + 1).strip();
        List<String> problems = new ArrayList<>();
        Map<String, Integer> factors = new LinkedHashMap<>();
        if (strategy.equals(SIMPLE)) {
            factors.put("replication_factor", factor(rest, "the replication factor", problems));
        } else if (strategy.equals(NETWORK_TOPOLOGY)) {
            if (rest.isEmpty()) {
                problems.add("NetworkTopologyStrategy needs at least one <dc>=<factor>");
            }
            for (String part : rest.isEmpty() ? new String[0] : rest.split(",", -1)) {
                int eq = part.indexOf('=');
                String dc = eq < 0 ? part.strip() : part.substring(0, eq).strip();
                if (eq < 0 || !DATA_CENTER.matcher(dc).matches()) {
                    problems.add("'" + part.strip() + "' is not <dc>=<factor>");
                    continue;
                }
                int f = factor(part.substring(eq + 1).strip(), "the factor of " + dc, problems);
                if (factors.putIfAbsent(dc, f) != null) {
                    problems.add("data center " + dc + " is named twice");
                }
            }
        } else {
            problems.add("the strategy must be " + SIMPLE + " or " + NETWORK_TOPOLOGY + " (as CQL spells them), not '" + strategy + "'");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems) + " (" + FORMS + ")");
        }
        return new KeyspaceReplication(strategy, factors);
    }

    /**
     * What Cassandra reports in {@code system_schema.keyspaces.replication} ({@code class} is the full class name there),
     * so an existing keyspace can be compared with the config.
     */
    public static KeyspaceReplication fromSchema(Map<String, String> replication) {
        String className = replication.getOrDefault("class", "");
        String strategy = className.substring(className.lastIndexOf('.') + 1);
        Map<String, Integer> factors = new LinkedHashMap<>();
        replication.forEach((key, value) -> {
            if (!key.equals("class")) {
                try {
                    factors.put(key, Integer.parseInt(value.strip()));
                } catch (NumberFormatException e) {
                    factors.put(key, -1); // e.g. a transient "2/1" during a range movement: never equal to a config
                }
            }
        });
        return new KeyspaceReplication(strategy, factors);
    }

    static Validator validator() {
        return v -> {
            try {
                parse(String.valueOf(v));
                return null;
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        };
    }

    public boolean isSimple() {
        return strategy.equals(SIMPLE);
    }

    /** Replicas of each row in that data center (SimpleStrategy ignores data centers: all of them). */
    public int replicasIn(String dataCenter) {
        return isSimple() ? factors.get("replication_factor") : factors.getOrDefault(dataCenter, 0);
    }

    public int totalReplicas() {
        return factors.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The CQL map for {@code CREATE KEYSPACE ... WITH replication = }. */
    public String cql() {
        return "{'class': '" + strategy + "'" + factors.entrySet().stream()
                .map(e -> ", '" + e.getKey() + "': " + e.getValue()).collect(Collectors.joining()) + "}";
    }

    /** The config form, e.g. {@code NetworkTopologyStrategy:dc1=3,dc2=2}. */
    @Override
    public String toString() {
        if (isSimple()) {
            return SIMPLE + ":" + factors.get("replication_factor");
        }
        return strategy + ":" + factors.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    private static int factor(String text, String what, List<String> problems) {
        try {
            int f = Integer.parseInt(text);
            if (f >= 1 && f <= MAX_FACTOR) {
                return f;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(what + " must be a whole number from 1 to " + MAX_FACTOR + ", not '" + text + "'");
        return 1;
    }
}
