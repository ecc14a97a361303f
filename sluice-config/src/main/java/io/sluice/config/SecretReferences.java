package io.sluice.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${env:NAME}} and {@code ${file:/path}} in pipeline values at load, so a pipeline file (and a
 * {@code --set} on a command line that {@code ps} shows) can name a secret without holding it. A file's content is
 * taken as it is, less one trailing line break; {@code ${file:/path:key}} reads one key of a properties file (the
 * form of Kafka's {@code FileConfigProvider}, used by the credentials file of {@code sluice up --secure}). A reference that cannot be resolved is a config problem naming the
 * key and the reference, never a value.
 */
public final class SecretReferences {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file):([^}]+)}");

    private final Function<String, String> environment;

    public SecretReferences(Function<String, String> environment) {
        this.environment = environment;
    }

    public static SecretReferences fromSystem() {
        return new SecretReferences(System::getenv);
    }

    /** A copy of {@code flat} with every reference replaced; problems go to {@code problems}. */
    public Map<String, Object> resolve(Map<String, Object> flat, List<ConfigProblem> problems) {
        Map<String, Object> out = new LinkedHashMap<>();
        flat.forEach((key, value) -> out.put(key, resolveValue(key, value, problems)));
        return out;
    }

    /**
     * One value given outside a pipeline file, e.g. a command-line flag named {@code what}: its references resolved, or
     * an {@link IllegalArgumentException} whose message names {@code what} and the reference, never a value.
     */
    public String resolveOne(String what, String value) {
        List<ConfigProblem> problems = new java.util.ArrayList<>();
        String resolved = resolveString(what, value, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(what + " " + problems.get(0).message());
        }
        return resolved;
    }

    /** True when {@code value} holds at least one {@code ${env:...}} or {@code ${file:...}} reference. */
    public static boolean isReference(String value) {
        return value != null && REFERENCE.matcher(value).find();
    }

    private Object resolveValue(String key, Object value, List<ConfigProblem> problems) {
        if (value instanceof String s) {
            return resolveString(key, s, problems);
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, v instanceof String s ? resolveString(key + "." + k, s, problems) : v));
            return out;
        }
        return value;
    }

    private String resolveString(String key, String value, List<ConfigProblem> problems) {
        Matcher m = REFERENCE.matcher(value);
        if (!m.find()) {
            return value;
        }
        m.reset();
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = m.group(1).equals("env") ? fromEnvironment(key, m.group(2), problems)
                    : fromFile(key, m.group(2), problems);
            m.appendReplacement(out, Matcher.quoteReplacement(replacement == null ? "" : replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String fromEnvironment(String key, String name, List<ConfigProblem> problems) {
        String value = environment.apply(name.strip());
        if (value == null) {
            problems.add(new ConfigProblem(key, null, "refers to ${env:" + name + "}, but the environment variable "
                    + name + " is not set; export it before starting Sluice"));
        }
        return value;
    }

    private static String fromFile(String key, String name, List<ConfigProblem> problems) {
        int colon = name.lastIndexOf(':');
        if (colon > 0 && Files.isRegularFile(Path.of(name.substring(0, colon).strip()))) {
            return fromPropertiesFile(key, Path.of(name.substring(0, colon).strip()), name.substring(colon + 1).strip(), problems);
        }
        Path file = Path.of(name.strip());
        try {
            String content = Files.readString(file, StandardCharsets.UTF_8);
            return content.endsWith("\r\n") ? content.substring(0, content.length() - 2)
                    : content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
        } catch (IOException e) {
            problems.add(new ConfigProblem(key, null, "refers to ${file:" + name + "}, which cannot be read ("
                    + (Files.exists(file) ? e.getClass().getSimpleName() : "no such file")
                    + "); create it, readable by this user only (chmod 600)"));
            return null;
        }
    }

    private static String fromPropertiesFile(String key, Path file, String property, List<ConfigProblem> problems) {
        java.util.Properties properties = new java.util.Properties();
        try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            problems.add(new ConfigProblem(key, null, "refers to ${file:" + file + ":" + property + "}, but " + file
                    + " cannot be read (" + e.getClass().getSimpleName() + ")"));
            return null;
        }
        String value = properties.getProperty(property);
        if (value == null) {
            problems.add(new ConfigProblem(key, null, "refers to ${file:" + file + ":" + property + "}, but " + file
                    + " has no key " + property));
        }
        return value;
    }
}
