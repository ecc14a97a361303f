package io.sluice.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.PipelineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every file in pipelines/examples/ is a valid pipeline: it loads (keys, types, rule shapes) and its expressions and
 * rules resolve against its own schema on Spark, exactly as the stream job checks them before it starts.
 */
class ExamplePipelinesTest {

    static List<Path> examples() throws Exception {
        Path folder = DemoPipeline.file().getParent().resolve("examples");
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @Test
    void everyExamplePipelineValidates() throws Exception {
        List<Path> files = examples();
        assertThat(files).as("pipelines/examples/ has one file per rule and write control").hasSizeGreaterThanOrEqualTo(12);
        for (Path file : files) {
            // The OAuth2 example reads its client secret from the environment, as a user's would; the test supplies it.
            Map<String, String> secrets = Files.readString(file).contains("${env:API_CLIENT_SECRET}")
                    ? Map.of("source.auth.client_secret", "supplied-by-the-test") : Map.of();
            PipelineConfig config = PipelineConfig.load(file, secrets);
            RecordParser parser = RecordParser.fromConfig(config);
            SinkProjection.fromConfig(config).validate(LocalSpark.get(), parser.schema(), file.toString());
            DataQuality.fromConfig(config).validate(LocalSpark.get(), parser.schema(), file.toString());
        }
    }

    @Test
    void everyRuleTypeHasAnExample() throws Exception {
        StringBuilder all = new StringBuilder();
        for (Path file : examples()) {
            all.append(Files.readString(file));
        }
        for (String type : io.sluice.config.DqRule.TYPES) {
            assertThat(all.toString()).as("an example uses rule type %s", type).contains("type: " + type);
        }
        for (String key : List.of("batch_grouping", "batch_size_rows", "batch_size_bytes", "concurrent_writes",
                "throughput_mb_per_sec", "consistency", "ttl_column", "time_bucket", "max_failure_ratio", "quarantine:")) {
            assertThat(all.toString()).as("an example shows %s", key).contains(key);
        }
    }
}
