package io.sluice.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the entries of {@code dq.rules} into {@link DqRule}s, reporting every problem with the rule's name (or its
 * position when it has none) so a user fixes them all in one go.
 */
final class DqRuleParser {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Set<String> COMMON = Set.of("name", "type", "action", "column");
    private static final Map<String, Set<String>> PARAMS = Map.of(
            DqRule.NOT_NULL, Set.of(),
            DqRule.REGEX, Set.of("pattern"),
            DqRule.IN_SET, Set.of("values"),
            DqRule.RANGE, Set.of("min", "max"),
            DqRule.LENGTH, Set.of("min", "max"),
            DqRule.MAX_AGE, Set.of("max_age"),
            DqRule.UNIQUE_IN_BATCH, Set.of(),
            DqRule.EXPR, Set.of("expr"));

    private DqRuleParser() {
    }

    static List<DqRule> parse(List<Map<String, Object>> entries, String eventTime, List<ConfigProblem> problems) {
        List<DqRule> rules = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            Map<String, Object> entry = entries.get(i);
            List<ConfigProblem> own = new ArrayList<>();
            DqRule rule = parseOne(entry, i + 1, eventTime, own);
            if (rule != null && !names.add(rule.name())) {
                own.add(new ConfigProblem(rule.configKey(), null, "is declared twice; every rule needs its own name, "
                        + "because quarantine reasons and metrics are keyed by it"));
            }
            problems.addAll(own);
            if (rule != null && own.isEmpty()) {
                rules.add(rule);
            }
        }
        return List.copyOf(rules);
    }

    private static DqRule parseOne(Map<String, Object> entry, int position, String eventTime, List<ConfigProblem> problems) {
        Object rawName = entry.get("name");
        String key = rawName == null ? "dq.rules[" + position + "]" : "dq.rules[" + rawName + "]";
        if (rawName == null) {
            problems.add(new ConfigProblem(key, null, "has no `name`; give every rule a name such as email_format"));
            return null;
        }
        String name = String.valueOf(rawName);
        if (!NAME.matcher(name).matches()) {
            problems.add(new ConfigProblem(key + ".name", name,
                    "must be lower-case letters, digits and underscores, starting with a letter"));
        }
        Object rawType = entry.get("type");
        if (rawType == null || !PARAMS.containsKey(String.valueOf(rawType))) {
            problems.add(new ConfigProblem(key + ".type", rawType, rawType == null
                    ? "is required: one of " + String.join(", ", DqRule.TYPES)
                    : "is not a known rule type; use one of " + String.join(", ", DqRule.TYPES)));
            return null;
        }
        String type = String.valueOf(rawType);
        for (String field : entry.keySet()) {
            if (!COMMON.contains(field) && !PARAMS.get(type).contains(field)) {
                problems.add(new ConfigProblem(key + "." + field, null, "is not a parameter of a " + type
                        + " rule (it takes " + describeParams(type) + ")"));
            }
        }
        String action = String.valueOf(entry.getOrDefault("action", "quarantine"));
        if (!action.equals("quarantine") && !action.equals("warn")) {
            problems.add(new ConfigProblem(key + ".action", action, "must be quarantine or warn"));
        }
        String column = text(entry.get("column"));
        boolean needsColumn = !type.equals(DqRule.UNIQUE_IN_BATCH) && !type.equals(DqRule.MAX_AGE) && !type.equals(DqRule.EXPR);
        if (needsColumn && column == null) {
            problems.add(new ConfigProblem(key + ".column", null, "is required for a " + type
                    + " rule: a field path or Spark SQL expression such as login.username"));
        }
        String pattern = null;
        List<String> values = null;
        Double min = null;
        Double max = null;
        Duration maxAge = null;
        switch (type) {
            case DqRule.REGEX -> pattern = regex(entry.get("pattern"), key, problems);
            case DqRule.IN_SET -> values = valueList(entry.get("values"), key, problems);
            case DqRule.RANGE, DqRule.LENGTH -> {
                min = number(entry.get("min"), key + ".min", type, problems);
                max = number(entry.get("max"), key + ".max", type, problems);
                if (!entry.containsKey("min") && !entry.containsKey("max")) {
                    problems.add(new ConfigProblem(key, null, "needs `min`, `max` or both"));
                } else if (min != null && max != null && min > max) {
                    problems.add(new ConfigProblem(key + ".min", min, "must not be above `max` (" + max + ")"));
                }
            }
            case DqRule.MAX_AGE -> {
                maxAge = duration(entry.get("max_age"), key, problems);
                if (column == null) {
                    column = eventTime;
                }
                if (column == null) {
                    problems.add(new ConfigProblem(key, null, "needs an event time: set `dq.event_time` to a Spark SQL "
                            + "expression such as to_timestamp(registered.date), or give the rule a `column`"));
                }
            }
            case DqRule.EXPR -> {
                column = text(entry.get("expr"));
                if (column == null) {
                    problems.add(new ConfigProblem(key + ".expr", null, "is required: a Spark SQL boolean expression that "
                            + "is true for a good record, such as `dob.age >= 18`"));
                }
            }
            default -> { // not_null, unique_in_batch: nothing beyond the column
            }
        }
        return new DqRule(name, type, column, !action.equals("warn"), pattern, values, min, max, maxAge);
    }

    private static String describeParams(String type) {
        List<String> all = new ArrayList<>(List.of("name", "type", "action"));
        if (!type.equals(DqRule.EXPR)) {
            all.add("column");
        }
        all.addAll(PARAMS.get(type).stream().sorted().toList());
        return String.join(", ", all);
    }

    private static String text(Object raw) {
        if (raw == null) {
            return null;
        }
        String s = String.valueOf(raw).strip();
        return s.isEmpty() ? null : s;
    }

    private static String regex(Object raw, String key, List<ConfigProblem> problems) {
        String pattern = raw == null ? null : String.valueOf(raw);
        if (pattern == null || pattern.isEmpty()) {
            problems.add(new ConfigProblem(key + ".pattern", null, "is required: a Java regular expression such as ^[^@]+@[^@]+$"));
            return null;
        }
        try {
            Pattern.compile(pattern);
            return pattern;
        } catch (PatternSyntaxException e) {
            problems.add(new ConfigProblem(key + ".pattern", pattern, "is not a valid regular expression ("
                    + e.getDescription() + " near index " + e.getIndex() + ")"));
            return null;
        }
    }

    private static List<String> valueList(Object raw, String key, List<ConfigProblem> problems) {
        if (!(raw instanceof List<?> list) || list.isEmpty()) {
            problems.add(new ConfigProblem(key + ".values", raw, "must be a non-empty list such as [male, female]"));
            return null;
        }
        List<String> out = new ArrayList<>();
        for (Object v : list) {
            if (v instanceof Map || v instanceof List || v == null) {
                problems.add(new ConfigProblem(key + ".values", raw, "must hold plain values only"));
                return null;
            }
            out.add(String.valueOf(v));
        }
        return out;
    }

    private static Double number(Object raw, String key, String type, List<ConfigProblem> problems) {
        if (raw == null) {
            return null;
        }
        try {
            double d = raw instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(raw).strip());
            if (type.equals(DqRule.LENGTH) && (d < 0 || d != Math.rint(d))) {
                problems.add(new ConfigProblem(key, raw, "must be a whole number ≥ 0 (a length in characters)"));
                return null;
            }
            return d;
        } catch (NumberFormatException e) {
            problems.add(new ConfigProblem(key, raw, "must be a number"));
            return null;
        }
    }

    private static Duration duration(Object raw, String key, List<ConfigProblem> problems) {
        if (raw == null) {
            problems.add(new ConfigProblem(key + ".max_age", null, "is required: the oldest acceptable event, such as 30d"));
            return null;
        }
        try {
            Duration d = Durations.parse(String.valueOf(raw));
            if (d.isZero()) {
                problems.add(new ConfigProblem(key + ".max_age", raw, "must be above 0s"));
            }
            return d;
        } catch (IllegalArgumentException e) {
            problems.add(new ConfigProblem(key + ".max_age", raw, e.getMessage()));
            return null;
        }
    }

    /** For docs and tests: the parameters each type takes. */
    static Map<String, Set<String>> parameters() {
        return new LinkedHashMap<>(PARAMS);
    }
}
