package io.sluice.stream;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Command line of {@link StreamJob}. Parsed by hand: the job must run under spark-submit with nothing but Spark,
 * the connectors and sluice-config on the classpath.
 */
public record StreamJobArgs(Path pipeline, Path dataDir, Map<String, String> overrides, Path progressFile,
                            boolean availableNow) {

    public static final String USAGE = """
            Usage: StreamJob --pipeline <file.yaml> [--data-dir <dir>] [--set key=value]... \
            [--overrides-file <file>] [--progress-file <file.jsonl>] [--available-now]
              --pipeline       pipeline file (required)
              --data-dir       where checkpoints live unless the pipeline says otherwise (default ./.sluice)
              --set key=value  overrides one pipeline key; repeatable
              --overrides-file key=value lines (a properties file) overriding pipeline keys, for secrets
              --progress-file  appends one JSON line per micro-batch
              --available-now  drains what Kafka holds now, in capped batches, then exits""";

    /** Thrown for a command line that cannot be run; the message says what is wrong. */
    public static final class UsageException extends IllegalArgumentException {
        public UsageException(String message) {
            super(message);
        }
    }

    public static StreamJobArgs parse(String... args) {
        Path pipeline = null;
        Path dataDir = Path.of(".sluice");
        Map<String, String> overrides = new LinkedHashMap<>();
        Path progressFile = null;
        boolean availableNow = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--pipeline" -> pipeline = Path.of(value(args, ++i, arg));
                case "--data-dir" -> dataDir = Path.of(value(args, ++i, arg));
                case "--progress-file" -> progressFile = Path.of(value(args, ++i, arg));
                case "--available-now" -> availableNow = true;
                case "--overrides-file" -> overrides.putAll(readOverrides(Path.of(value(args, ++i, arg))));
                case "--set" -> {
                    String pair = value(args, ++i, arg);
                    int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        throw new UsageException("--set needs key=value, got '" + pair + "'");
                    }
                    overrides.put(pair.substring(0, eq).strip(), pair.substring(eq + 1));
                }
                default -> throw new UsageException("unknown argument '" + arg + "'");
            }
        }
        if (pipeline == null) {
            throw new UsageException("--pipeline <file> is required");
        }
        return new StreamJobArgs(pipeline, dataDir, Map.copyOf(overrides), progressFile, availableNow);
    }

    private static Map<String, String> readOverrides(Path file) {
        java.util.Properties properties = new java.util.Properties();
        try (var reader = java.nio.file.Files.newBufferedReader(file, java.nio.charset.StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (java.io.IOException e) {
            throw new UsageException("--overrides-file " + file + " cannot be read: " + e.getClass().getSimpleName());
        }
        Map<String, String> out = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(k -> out.put(k, properties.getProperty(k)));
        return out;
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length || args[index].startsWith("--")) {
            throw new UsageException(option + " needs a value");
        }
        return args[index];
    }
}
