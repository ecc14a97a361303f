package io.sluice.ingest;

import io.sluice.config.PipelineConfig;
import java.util.HashMap;
import java.util.Map;

/** Small valid pipeline configs for tests; {@code overrides} are {@code key=value} pairs as on the CLI. */
public final class TestConfigs {
    private TestConfigs() {
    }

    public static PipelineConfig config(Map<String, String> overrides) {
        Map<String, Object> flat = new HashMap<>();
        flat.put("pipeline.name", "ingest_test");
        flat.put("source.url", "http://127.0.0.1:1/api/?results=10");
        flat.put("record.schema", "email STRING, login STRUCT<uuid: STRING>");
        flat.put("sink.columns", Map.of("email", "email"));
        return PipelineConfig.from(flat, overrides, "test pipeline");
    }

    public static PipelineConfig config() {
        return config(Map.of());
    }
}
