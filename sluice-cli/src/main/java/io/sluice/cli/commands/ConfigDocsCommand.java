package io.sluice.cli.commands;

import io.sluice.config.PipelineConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "config-docs", mixinStandardHelpOptions = true,
        description = "Print the reference of every pipeline-file key (type, default, description) as Markdown.")
public final class ConfigDocsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.print(PipelineConfig.DEFINITION.toMarkdown("Pipeline file reference"));
        return 0;
    }
}
