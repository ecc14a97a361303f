package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The source examples the README points to must stay valid as keys evolve. */
class SourceExamplesTest {
    static final Path EXAMPLES = Path.of(System.getProperty("sluice.home", "..")).resolve("pipelines/examples");

    @Test
    void everySourceExampleValidatesAndNamesItsSourceType() throws Exception {
        List<Path> files;
        try (Stream<Path> list = Files.list(EXAMPLES)) {
            files = list.filter(p -> p.getFileName().toString().startsWith("source-")).sorted().toList();
        }
        assertThat(files).as("source examples in %s", EXAMPLES).hasSizeGreaterThanOrEqualTo(4);
        assertThat(files).extracting(f -> PipelineConfig.load(f, secretsOf(f)).sourceType())
                .containsExactlyInAnyOrder("mqtt", "rest_poll", "rest_poll", "sse", "websocket", "grpc");
    }

    /** The OAuth2 example reads its client secret from the environment, as a user's would; the test supplies it. */
    static Map<String, String> secretsOf(Path example) throws java.io.IOException {
        return Files.readString(example).contains("${env:API_CLIENT_SECRET}")
                ? Map.of("source.auth.client_secret", "supplied-by-the-test") : Map.of();
    }
}
