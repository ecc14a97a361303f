package io.sluice.stream.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Secret {@code --set} overrides travel to the stream job in a file only its user can read, never on its command line
 * (which {@code ps} shows every user). A key is secret when it is declared as a password or is an entry of a secret
 * map ({@code source.headers.*}), or when a pass-through key
 * ({@code kafka.properties.*}, {@code stream.spark_conf.*}) names one the way Kafka, Spark and JAAS do.
 */
final class SecretOverrides {
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|secret|jaas|token|credential).*");

    private SecretOverrides() {
    }

    static boolean isSecret(String key) {
        return io.sluice.config.PipelineConfig.DEFINITION.isSecret(key) || SECRET_NAME.matcher(key).matches();
    }

    /** Writes the secret overrides (0600, in a 0700 folder); does nothing when there are none. */
    static void write(Path file, Map<String, String> overrides) throws IOException {
        Properties secrets = new Properties();
        overrides.forEach((k, v) -> {
            if (isSecret(k)) {
                secrets.setProperty(k, v);
            }
        });
        if (secrets.isEmpty()) {
            return;
        }
        Path dir = file.getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            secrets.store(out, null);
        }
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
