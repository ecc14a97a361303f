package io.sluice.cli.commands;

import io.sluice.config.PipelineConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The pipeline file argument and its {@code --set key=value} overrides, shared by the commands that run one. */
public final class PipelineOptions {
    @Parameters(index = "0", paramLabel = "PIPELINE", description = "Pipeline YAML file (see docs/pipeline-reference.md).")
    Path pipeline;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a pipeline key, e.g. --set stream.trigger_interval=2s (repeatable).")
    Map<String, String> overrides = new LinkedHashMap<>();

    public Path file() {
        return pipeline;
    }

    public Map<String, String> overrides() {
        return overrides;
    }

    public PipelineConfig load() {
        return PipelineConfig.load(pipeline, overrides);
    }
}
