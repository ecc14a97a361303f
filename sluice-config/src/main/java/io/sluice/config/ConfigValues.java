package io.sluice.config;

import java.time.Duration;
import java.util.Map;

/** Parsed, typed values keyed by full dotted name. Only {@link ConfigDef} builds these. */
public final class ConfigValues {
    private final Map<String, Object> values;

    ConfigValues(Map<String, Object> values) {
        this.values = values;
    }

    private Object get(String key) {
        if (!values.containsKey(key)) {
            throw new IllegalArgumentException("undeclared key " + key);
        }
        return values.get(key);
    }

    public String string(String key) {
        return (String) get(key);
    }

    public int integer(String key) {
        return (Integer) get(key);
    }

    public long longValue(String key) {
        return (Long) get(key);
    }

    public double doubleValue(String key) {
        return (Double) get(key);
    }

    public boolean bool(String key) {
        return (Boolean) get(key);
    }

    public Duration duration(String key) {
        return (Duration) get(key);
    }

    @SuppressWarnings("unchecked")
    public Map<String, String> map(String key) {
        Object v = get(key);
        return v == null ? Map.of() : (Map<String, String>) v;
    }

    @SuppressWarnings("unchecked")
    public java.util.List<Map<String, Object>> list(String key) {
        Object v = get(key);
        return v == null ? java.util.List.of() : (java.util.List<Map<String, Object>>) v;
    }

    /** A {@link ConfigType#STRINGS} value; empty when unset. */
    @SuppressWarnings("unchecked")
    public java.util.List<String> strings(String key) {
        Object v = get(key);
        return v == null ? java.util.List.of() : (java.util.List<String>) v;
    }

    public Object raw(String key) {
        return values.get(key);
    }
}
