package io.sluice.cli.commands;

import io.sluice.config.PipelineConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a pipeline file and report every problem at once; exit 0 when it is valid, 2 when not.")
public final class ValidateCommand implements Callable<Integer> {
    @Mixin
    PipelineOptions pipeline;

    @Override
    public Integer call() {
        PipelineConfig config = pipeline.load();
        System.out.printf("%s is valid: pipeline '%s', %s source -> topic %s -> %s.%s (trigger %s, max %d offsets/trigger)%n",
                pipeline.file(), config.name(), config.sourceType(), config.kafkaTopic(), config.sinkKeyspace(),
                config.sinkTable(), io.sluice.config.Durations.format(config.streamTriggerInterval()),
                config.streamMaxOffsetsPerTrigger());
        return 0;
    }
}
