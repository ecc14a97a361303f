package io.sluice.config;

/** One thing wrong with a pipeline file: which key, what value it had, and how to fix it. */
public record ConfigProblem(String key, Object value, String message) {
    @Override
    public String toString() {
        return value == null ? "`" + key + "` " + message : "`" + key + "` " + message + ", got " + render(value);
    }

    private static String render(Object value) {
        return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }
}
