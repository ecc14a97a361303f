package io.sluice.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Value types a pipeline key can have, each knowing how to read itself from YAML or from a {@code --set} string. */
public enum ConfigType {
    STRING("string") {
        @Override
        Object convert(Object raw) {
            if (raw instanceof Map || raw instanceof List) {
                throw new IllegalArgumentException("must be a single value, not a list or map");
            }
            return String.valueOf(raw);
        }
    },
    INT("integer") {
        @Override
        Object convert(Object raw) {
            long value = (Long) LONG.convert(raw);
            if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
                throw new IllegalArgumentException("must fit in a 32-bit integer");
            }
            return (int) value;
        }
    },
    LONG("integer") {
        @Override
        Object convert(Object raw) {
            if (raw instanceof Integer || raw instanceof Long) {
                return ((Number) raw).longValue();
            }
            try {
                return Long.parseLong(String.valueOf(raw).trim().replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a whole number");
            }
        }
    },
    DOUBLE("number") {
        @Override
        Object convert(Object raw) {
            if (raw instanceof Number n) {
                return n.doubleValue();
            }
            try {
                return Double.parseDouble(String.valueOf(raw).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a number");
            }
        }
    },
    BOOLEAN("boolean") {
        @Override
        Object convert(Object raw) {
            if (raw instanceof Boolean b) {
                return b;
            }
            String s = String.valueOf(raw).trim().toLowerCase();
            if (s.equals("true") || s.equals("false")) {
                return Boolean.parseBoolean(s);
            }
            throw new IllegalArgumentException("must be true or false");
        }
    },
    /** A secret: held as a {@link Password}, printed as {@value Password#HIDDEN} everywhere. */
    PASSWORD("password") {
        @Override
        Object convert(Object raw) {
            if (raw instanceof Password p) {
                return p;
            }
            if (raw instanceof Map || raw instanceof List) {
                throw new IllegalArgumentException("must be a single value, not a list or map");
            }
            return new Password(String.valueOf(raw));
        }
    },
    DURATION("duration") {
        @Override
        Object convert(Object raw) {
            if (raw instanceof Duration d) {
                return d;
            }
            if (raw instanceof Integer i && i == 0) {
                return Duration.ZERO;
            }
            return Durations.parse(String.valueOf(raw));
        }
    },
    BYTES("size") {
        @Override
        Object convert(Object raw) {
            if (raw instanceof Integer || raw instanceof Long) {
                return ((Number) raw).longValue();
            }
            return ByteSizes.parse(String.valueOf(raw));
        }
    },
    /** An ordered map of names to strings, such as column name to SQL expression. */
    MAP("map") {
        @Override
        Object convert(Object raw) {
            if (!(raw instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException("must be a map of name: value entries");
            }
            Map<String, String> out = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                if (v instanceof Map || v instanceof List) {
                    throw new IllegalArgumentException("entry '" + k + "' must be a single value");
                }
                out.put(String.valueOf(k), String.valueOf(v));
            });
            return out;
        }
    },
    /**
     * A map whose values may be secrets, such as HTTP headers ({@code Authorization}, {@code X-Api-Key}): read as
     * {@link #MAP}, but every value prints as {@value Password#HIDDEN} and a {@code --set} of an entry never rides on a
     * child JVM's command line.
     */
    SECRET_MAP("map (values hidden)") {
        @Override
        Object convert(Object raw) {
            return MAP.convert(raw);
        }
    },
    /**
     * A list of plain values, such as event types: a YAML list ({@code [heartbeat, ack]}) in a pipeline file, or a
     * comma-separated string from {@code --set}. Blank entries are dropped.
     */
    STRINGS("list of strings") {
        @Override
        Object convert(Object raw) {
            List<?> items = raw instanceof List<?> list ? list : List.of(String.valueOf(raw).split(","));
            List<String> out = new java.util.ArrayList<>();
            for (Object item : items) {
                if (item instanceof Map || item instanceof List) {
                    throw new IllegalArgumentException("entries must be single values, such as [heartbeat, ack]");
                }
                String text = String.valueOf(item).trim();
                if (!text.isEmpty()) {
                    out.add(text);
                }
            }
            return List.copyOf(out);
        }
    },
    /**
     * A list of small maps, such as data-quality rules ({@code - {name: x, type: not_null, column: email}}). Only a
     * pipeline file can hold one: a {@code --set} string is refused with a sentence saying so.
     */
    LIST("list of maps") {
        @Override
        Object convert(Object raw) {
            if (!(raw instanceof List<?> list)) {
                throw new IllegalArgumentException("must be a YAML list of maps (one `- {...}` entry each); it can only be "
                        + "set in the pipeline file, not with --set");
            }
            List<Map<String, Object>> out = new java.util.ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                if (!(list.get(i) instanceof Map<?, ?> entry)) {
                    throw new IllegalArgumentException("entry " + (i + 1) + " must be a map such as {name: x, type: not_null}");
                }
                Map<String, Object> copy = new LinkedHashMap<>();
                entry.forEach((k, v) -> copy.put(String.valueOf(k), v));
                out.add(copy);
            }
            return List.copyOf(out);
        }
    };

    private final String label;

    ConfigType(String label) {
        this.label = label;
    }

    /** True for a map key: {@code key.entry=value} from {@code --set} folds into it. */
    public boolean isMap() {
        return this == MAP || this == SECRET_MAP;
    }

    /** True when values of this type are secrets, never to be printed or put on a command line. */
    public boolean isSecret() {
        return this == PASSWORD || this == SECRET_MAP;
    }

    public String label() {
        return label;
    }

    /** @throws IllegalArgumentException with the expected form when {@code raw} cannot be read as this type */
    abstract Object convert(Object raw);

    String render(Object value) {
        if (this == PASSWORD) {
            return Password.HIDDEN;
        }
        if (this == SECRET_MAP && value instanceof Map<?, ?> map) {
            Map<Object, String> hidden = new LinkedHashMap<>();
            map.keySet().forEach(k -> hidden.put(k, Password.HIDDEN));
            return hidden.toString();
        }
        if (value instanceof Duration d) {
            return Durations.format(d);
        }
        if (this == BYTES && value instanceof Long l) {
            return ByteSizes.format(l);
        }
        return String.valueOf(value);
    }
}
