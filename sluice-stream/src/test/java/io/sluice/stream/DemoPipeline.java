package io.sluice.stream;

import io.sluice.config.PipelineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The bundled demo pipeline ({@code pipelines/demo-users.yaml}), which is what users run first. */
final class DemoPipeline {
    private DemoPipeline() {
    }

    static Path file() {
        String home = System.getProperty("sluice.home");
        Path path = (home == null ? Path.of("..") : Path.of(home)).resolve("pipelines/demo-users.yaml");
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("demo pipeline not found at " + path.toAbsolutePath()
                    + "; run the tests from the repository (system property sluice.home = repo root)");
        }
        return path;
    }

    /**
     * The demo pipeline's text without its own top-level {@code dq:} section, for tests that append the rules they
     * exercise (YAML refuses a key twice).
     */
    static String textWithoutRules() {
        StringBuilder out = new StringBuilder();
        boolean inDq = false;
        try {
            for (String line : Files.readAllLines(file())) {
                boolean topLevel = !line.isEmpty() && !Character.isWhitespace(line.charAt(0)) && !line.startsWith("#");
                if (topLevel) {
                    inDq = line.startsWith("dq:");
                }
                if (!inDq) {
                    out.append(line).append('\n');
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString();
    }

    static PipelineConfig load(Map<String, String> overrides) {
        return PipelineConfig.load(file(), overrides);
    }

    static PipelineConfig load() {
        return load(Map.of());
    }

    /** A randomuser.me-shaped record as the demo API serves it. */
    static String user(String uuid) {
        return """
                {"gender":"female",
                 "name":{"title":"Ms","first":"Somchai","last":"Jaidee"},
                 "location":{"street":{"number":42,"name":"Sukhumvit Rd"},"city":"Bangkok","state":"Bangkok",
                             "country":"Thailand","postcode":"10110","coordinates":{"latitude":"13.7","longitude":"100.5"}},
                 "email":"somchai@example.com",
                 "login":{"uuid":"%s","username":"bluecat42","password":"secret"},
                 "dob":{"date":"1990-05-01T00:00:00.000Z","age":35},
                 "registered":{"date":"2015-01-02T03:04:05.000Z","age":10},
                 "phone":"02-123-4567",
                 "picture":{"large":"https://x/l.jpg","medium":"https://x/m.jpg","thumbnail":"https://x/t.jpg"},
                 "nat":"TH"}
                """.formatted(uuid).replace("\n", "");
    }
}
