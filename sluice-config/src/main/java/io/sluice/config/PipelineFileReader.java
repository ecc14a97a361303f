package io.sluice.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/** Reads a YAML pipeline file into dotted keys ({@code sink.ttl}); map-typed keys keep their map. */
public final class PipelineFileReader {
    private PipelineFileReader() {
    }

    public static Map<String, Object> read(Path file, ConfigDef definition) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(reader, definition, file.toString());
        } catch (NoSuchFileException e) {
            throw new ConfigException("Pipeline file " + file + " does not exist.");
        } catch (IOException e) {
            throw new ConfigException("Cannot read pipeline file " + file + ": " + e.getMessage());
        }
    }

    public static Map<String, Object> parse(Reader reader, ConfigDef definition, String origin) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Object root;
        try {
            root = new Yaml(new SafeConstructor(options)).load(reader);
        } catch (YAMLException e) {
            throw new ConfigException(origin + " is not valid YAML: " + e.getMessage());
        }
        if (root == null) {
            root = Map.of();
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new ConfigException(origin + " must be a YAML map of sections (pipeline, source, producer, ...).");
        }
        Map<String, Object> flat = new LinkedHashMap<>();
        flatten("", map, definition, flat);
        return flat;
    }

    private static void flatten(String prefix, Map<?, ?> map, ConfigDef definition, Map<String, Object> out) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = prefix + e.getKey();
            Object value = e.getValue();
            if (value instanceof Map<?, ?> nested && !definition.isMapKey(key)) {
                flatten(key + ".", nested, definition, out);
            } else if (value instanceof List<?> list && !list.isEmpty() && !definition.isMapKey(key)) {
                out.put(key, list);
            } else {
                out.put(key, value);
            }
        }
    }
}
