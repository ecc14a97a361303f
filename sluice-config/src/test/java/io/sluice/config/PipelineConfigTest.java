package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineConfigTest {
    static final Path DEMO = Path.of(System.getProperty("sluice.home", "..")).resolve("pipelines/demo-users.yaml");

    static final String MINIMAL = """
            pipeline: {name: p1}
            source: {url: "http://127.0.0.1:1/api"}
            record: {schema: "email STRING, login STRUCT<uuid: STRING>"}
            sink:
              columns: {email: email}
            """;

    static PipelineConfig parse(String yaml, Map<String, String> overrides) {
        Map<String, Object> flat = PipelineFileReader.parse(new StringReader(yaml), PipelineConfig.DEFINITION, "test.yaml");
        return PipelineConfig.from(flat, overrides, "test.yaml");
    }

    @Test
    void bundledDemoPipelineIsValid() {
        PipelineConfig config = PipelineConfig.load(DEMO, Map.of());
        assertThat(config.kafkaTopic()).isEqualTo("users_created");
        assertThat(config.sinkKeyspace()).isEqualTo("spark_streams");
        assertThat(config.sinkTable()).isEqualTo("created_users");
        assertThat(config.sinkColumns()).containsOnlyKeys("first_name", "last_name", "gender", "address", "post_code",
                "email", "username", "dob", "registered_date", "phone", "picture");
        assertThat(config.recordKey()).isEqualTo("login.uuid");
        assertThat(config.sinkTtl()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void defaultsFollowTheSeedNotes() {
        PipelineConfig config = parse(MINIMAL, Map.of());
        assertThat(config.streamTriggerInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.streamMaxOffsetsPerTrigger()).isEqualTo(1000L);
        assertThat(config.sinkTtl()).isEqualTo(Duration.ZERO);
        assertThat(config.producerOverflow()).isEqualTo("block");
        assertThat(config.producerBatchSize()).isEqualTo(64 * 1024L);
    }

    @Test
    void checkpointDefaultsUnderTheDataDir() {
        PipelineConfig config = parse(MINIMAL, Map.of());
        Path data = Path.of("/tmp/sluice-data");
        assertThat(config.checkpointDir(data)).isEqualTo(Path.of("/tmp/sluice-data/checkpoints/p1"));
        PipelineConfig custom = parse(MINIMAL, Map.of("stream.checkpoint_dir", "cp/x"));
        assertThat(custom.checkpointDir(data)).isEqualTo(Path.of("/tmp/sluice-data/cp/x"));
    }

    @Test
    void aCheckpointUriIsRefusedRatherThanTurnedIntoALocalDirectory() {
        for (String uri : new String[] {"hdfs://namenode:8020/sluice/cp", "s3a://bucket/cp", "file:///mnt/cp"}) {
            assertThatThrownBy(() -> parse(MINIMAL, Map.of("stream.checkpoint_dir", uri)))
                    .as(uri).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("`stream.checkpoint_dir` must be a directory path, not a URI")
                    .hasMessageContaining("mount it (NFS, a FUSE mount, a Kubernetes volume) at the same path");
        }
        assertThat(parse(MINIMAL, Map.of("stream.checkpoint_dir", "/mnt/nfs/sluice/cp")).checkpointDir(Path.of("/d")))
                .as("a path on a shared mount is fine").isEqualTo(Path.of("/mnt/nfs/sluice/cp"));
    }

    @Test
    void overridesWinOverTheFile() {
        PipelineConfig config = parse(MINIMAL, Map.of("stream.trigger_interval", "2s", "kafka.partitions", "7"));
        assertThat(config.streamTriggerInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.kafkaPartitions()).isEqualTo(7);
    }

    @Test
    void everyProblemIsReportedAtOnceNamingKeyValueAndFix() {
        Map<String, String> bad = new HashMap<>();
        bad.put("sink.ttl", "-5s");
        bad.put("producer.records_per_second", "-1");
        bad.put("stream.max_offsets_per_trigger", "zero");
        bad.put("kafka.bootstrap_servers", "nohostport");
        bad.put("sink.tll", "1d");
        assertThatThrownBy(() -> parse(MINIMAL, bad))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.problems()).extracting(ConfigProblem::key).containsExactlyInAnyOrder(
                            "sink.ttl", "producer.records_per_second", "stream.max_offsets_per_trigger",
                            "kafka.bootstrap_servers", "sink.tll");
                    assertThat(e.getMessage())
                            .contains("5 problems in test.yaml")
                            .contains("`sink.tll` is not a known key; did you mean `sink.ttl`?")
                            .contains("`producer.records_per_second` must be between 0.001 and 1000000, got '-1'")
                            .contains("`stream.max_offsets_per_trigger` must be a whole number, got 'zero'")
                            .contains("`sink.ttl` must be a duration");
                });
    }

    @Test
    void missingRequiredKeysAreNamed() {
        assertThatThrownBy(() -> parse("pipeline: {name: p}\n", Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::key).containsExactlyInAnyOrder("source.url", "record.schema", "sink.columns"));
    }

    @Test
    void numbersAsTextIsAListOfDotPaths() {
        assertThat(parse(MINIMAL, Map.of()).recordNumbersAsText()).as("unset: no field accepts a number").isEmpty();
        assertThat(parse(MINIMAL, Map.of("record.numbers_as_text", "location.postcode, zip")).recordNumbersAsText())
                .containsExactly("location.postcode", "zip");
        assertThat(PipelineConfig.load(DEMO, Map.of()).recordNumbersAsText()).as("the demo takes numeric postcodes")
                .containsExactly("location.postcode");
        assertThatThrownBy(() -> parse(MINIMAL, Map.of("record.numbers_as_text", "location..postcode,")))
                .hasMessageContaining("`record.numbers_as_text` must be comma-separated dot paths to fields, such as "
                        + "location.postcode, got 'location..postcode,'");
    }

    @Test
    void keyColumnCannotAlsoBeAMappedColumn() {
        assertThatThrownBy(() -> parse(MINIMAL.replace("{email: email}", "{email: email, id: login.uuid}"), Map.of()))
                .hasMessageContaining("`sink.columns` must not contain the key column");
    }

    @Test
    void badYamlAndNonMapRootAreClearErrors() {
        assertThatThrownBy(() -> parse("a: [unclosed", Map.of())).hasMessageContaining("is not valid YAML");
        assertThatThrownBy(() -> parse("- just\n- a list\n", Map.of())).hasMessageContaining("must be a YAML map");
        assertThatThrownBy(() -> parse("pipeline: {name: a}\npipeline: {name: b}\n", Map.of()))
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void missingFileIsAPlainSentence() {
        assertThatThrownBy(() -> PipelineConfig.load(Path.of("/nonexistent/p.yaml"), Map.of()))
                .hasMessage("Pipeline file /nonexistent/p.yaml does not exist.");
    }

    @Test
    void referenceDocsMatchTheDeclarations() throws Exception {
        Path docs = Path.of(System.getProperty("sluice.home", "..")).resolve("docs/pipeline-reference.md");
        String generated = PipelineConfig.DEFINITION.toMarkdown("Pipeline file reference");
        if (Boolean.getBoolean("sluice.regenerateDocs")) {
            Files.writeString(docs, generated);
        }
        assertThat(Files.readString(docs))
                .as("docs/pipeline-reference.md is out of date; run: mvn -pl sluice-config test -Dsluice.regenerateDocs=true")
                .isEqualTo(generated);
    }
}
