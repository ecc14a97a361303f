package io.sluice.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every key of a config, declared once with type, default, validator and doc (modelled on Kafka's ConfigDef).
 * Parsing never stops at the first problem: it collects them all so the user sees the whole list at once.
 */
public final class ConfigDef {
    private final Map<String, ConfigKey> keys = new LinkedHashMap<>();

    public ConfigDef define(String name, ConfigType type, Object defaultValue, Validator validator, String doc) {
        Object typedDefault = defaultValue == null ? null : type.convert(defaultValue);
        return add(new ConfigKey(name, type, typedDefault, false, validator, doc));
    }

    public ConfigDef defineRequired(String name, ConfigType type, Validator validator, String doc) {
        return add(new ConfigKey(name, type, null, true, validator, doc));
    }

    private ConfigDef add(ConfigKey key) {
        if (keys.putIfAbsent(key.name(), key) != null) {
            throw new IllegalStateException("key declared twice: " + key.name());
        }
        return this;
    }

    public Collection<ConfigKey> keys() {
        return Collections.unmodifiableCollection(keys.values());
    }

    public boolean isMapKey(String name) {
        ConfigKey key = keys.get(name);
        return key != null && key.type().isMap();
    }

    /**
     * True when {@code name} holds a secret: a password key, or an entry of a secret map such as
     * {@code source.headers.X-Api-Key}. Such values never go on a command line or into a message.
     */
    public boolean isSecret(String name) {
        ConfigKey key = keys.get(name);
        if (key != null) {
            return key.type().isSecret();
        }
        String mapKey = enclosingMapKey(name);
        return mapKey != null && keys.get(mapKey).type().isSecret();
    }

    /** Typed values for every declared key; problems (unknown keys, bad values, missing required keys) go to {@code problems}. */
    public ConfigValues parse(Map<String, Object> flat, List<ConfigProblem> problems) {
        for (String name : flat.keySet()) {
            if (!keys.containsKey(name)) {
                problems.add(new ConfigProblem(name, null, unknownKeyMessage(name)));
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (ConfigKey key : keys.values()) {
            Object raw = flat.get(key.name());
            if (raw == null) {
                if (key.required()) {
                    problems.add(new ConfigProblem(key.name(), null, "is required: " + key.doc()));
                }
                values.put(key.name(), key.defaultValue());
                continue;
            }
            try {
                Object typed = key.type().convert(raw);
                String problem = key.validator().check(typed);
                if (problem != null) {
                    problems.add(new ConfigProblem(key.name(), shown(key, raw), problem));
                }
                values.put(key.name(), typed);
            } catch (IllegalArgumentException | ClassCastException e) {
                problems.add(new ConfigProblem(key.name(), shown(key, raw), e.getMessage() == null ? "must be a " + key.type().label() : e.getMessage()));
                values.put(key.name(), key.defaultValue());
            }
        }
        return new ConfigValues(values);
    }

    /** What a problem may show of a value: never a secret. */
    private static Object shown(ConfigKey key, Object raw) {
        return key.type().isSecret() ? Password.HIDDEN : raw;
    }

    /**
     * {@code kafka.properties.linger.ms=5} (a {@code --set}, or a dotted YAML key) is an entry of the map-typed key
     * {@code kafka.properties}: fold such keys into their map so pass-through settings work from the command line too.
     */
    public Map<String, Object> foldMapEntries(Map<String, Object> flat) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : flat.entrySet()) {
            String mapKey = enclosingMapKey(e.getKey());
            if (mapKey == null) {
                out.merge(e.getKey(), e.getValue(), (a, b) -> a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb ? merged(ma, mb) : b);
                continue;
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put(e.getKey().substring(mapKey.length() + 1), e.getValue());
            out.merge(mapKey, entry, (a, b) -> a instanceof Map<?, ?> ma ? merged(ma, (Map<?, ?>) b) : b);
        }
        return out;
    }

    private String enclosingMapKey(String name) {
        if (keys.containsKey(name)) {
            return null;
        }
        for (ConfigKey key : keys.values()) {
            if (key.type().isMap() && name.startsWith(key.name() + ".") && name.length() > key.name().length() + 1) {
                return key.name();
            }
        }
        return null;
    }

    private static Map<String, Object> merged(Map<?, ?> first, Map<?, ?> second) {
        Map<String, Object> out = new LinkedHashMap<>();
        first.forEach((k, v) -> out.put(String.valueOf(k), v));
        second.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    private String unknownKeyMessage(String name) {
        String closest = null;
        int best = Integer.MAX_VALUE;
        for (String known : keys.keySet()) {
            int d = editDistance(name, known);
            if (d < best) {
                best = d;
                closest = known;
            }
        }
        String hint = closest != null && best <= Math.max(2, name.length() / 4) ? "; did you mean `" + closest + "`?" : "";
        return "is not a known key" + hint + " (see docs/pipeline-reference.md)";
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** Markdown reference generated from the declarations, so docs cannot drift from code. */
    public String toMarkdown(String title) {
        StringBuilder out = new StringBuilder("# ").append(title).append("\n\n")
                .append("Generated from the key declarations in `PipelineConfig` by `./sluice config-docs`; ")
                .append("a unit test fails when this file and the code disagree.\n");
        String section = "";
        List<ConfigKey> ordered = new ArrayList<>(keys.values());
        for (ConfigKey key : ordered) {
            if (!key.section().equals(section)) {
                section = key.section();
                out.append("\n## `").append(section).append("`\n\n")
                        .append("| key | type | default | description |\n|---|---|---|---|\n");
            }
            String dflt = key.required() ? "**required**"
                    : key.defaultValue() == null ? "(unset)" : "`" + key.type().render(key.defaultValue()).replace("|", "\\|") + "`";
            out.append("| `").append(key.name()).append("` | ").append(key.type().label()).append(" | ")
                    .append(dflt.replace("\n", " ")).append(" | ").append(key.doc().replace("|", "\\|")).append(" |\n");
        }
        return out.toString();
    }
}
