package io.sluice.config;

/**
 * One declared pipeline key. {@code defaultValue == null} with {@code required == false} means "unset is fine"
 * (the getter returns null and the code using it decides).
 */
public record ConfigKey(String name, ConfigType type, Object defaultValue, boolean required, Validator validator, String doc) {
    public String section() {
        int dot = name.indexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }
}
