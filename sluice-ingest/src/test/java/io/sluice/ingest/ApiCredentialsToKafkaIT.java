package io.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.ConnectionRefusedException;
import io.sluice.config.PipelineConfig;
import io.sluice.ingest.source.SourceTask;
import io.sluice.ingest.source.http.ApiCredentials;
import io.sluice.ingest.source.http.OAuth2ProtectedApi;
import io.sluice.ingest.source.rest.RestPollSource;
import io.sluice.ingest.source.sse.SseSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A REST source and an SSE source against a local API that wants a bearer token from an OAuth2 token endpoint
 * (client credentials) and expires tokens every 2 s (refusing them 0.5 s later), through the real
 * {@link IngestPipeline} into a real Kafka broker. Every record arrives exactly once, the source's count of token
 * grants matches the endpoint's, and neither the client secret nor any token shows up in a log, a captured stderr,
 * a file under the test's directory (Kafka's logs and data, the position files) or a process command line.
 */
class ApiCredentialsToKafkaIT {
    private static final Logger LOG = LoggerFactory.getLogger(ApiCredentialsToKafkaIT.class);
    private static final String CLIENT_SECRET = "it-Client-Secret-8d41c7";
    private static final int RECORDS = 300;
    private static final Duration TOKEN_LIFETIME = Duration.ofSeconds(2);
    private static final Duration GRACE = Duration.ofMillis(500);
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private static TestKafka kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = TestKafka.start("sluice-api-credentials-it");
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void restSourceWithExpiringOauth2TokensDeliversEveryRecordOnceAndLeaksNoSecret() throws Exception {
        // 5 records a page, one page every 150 ms: about 9 s, so several tokens expire on the way.
        try (OAuth2ProtectedApi api = new OAuth2ProtectedApi(CLIENT_SECRET, TOKEN_LIFETIME, GRACE, RECORDS, 5,
                Duration.ofMillis(1)); StderrCapture stderr = new StderrCapture()) {
            PipelineConfig config = config("rest_oauth2", api, Map.of("source.type", "rest_poll",
                    "source.url", api.baseUrl() + "/api/users", "source.records_path", "results",
                    "source.interval", "150ms", "source.pagination.cursor_path", "next_cursor",
                    "source.pagination.cursor_param", "cursor", "source.pagination.max_pages", "1"));
            RestPollSource source = new RestPollSource();
            runUntilAllSent(config, source);
            checkExactlyOnceAndCounted(config, api, source.credentials());
            checkNoLeak(api, stderr);
        }
    }

    @Test
    void sseSourceWithExpiringOauth2TokensDeliversEveryRecordOnceAndLeaksNoSecret() throws Exception {
        // One event every 30 ms: about 9 s; each stream ends when its token expires and is reopened with a new one.
        try (OAuth2ProtectedApi api = new OAuth2ProtectedApi(CLIENT_SECRET, TOKEN_LIFETIME, GRACE, RECORDS, 5,
                Duration.ofMillis(30)); StderrCapture stderr = new StderrCapture()) {
            PipelineConfig config = config("sse_oauth2", api, Map.of("source.type", "sse",
                    "source.url", api.baseUrl() + "/sse", "source.records_path", "",
                    "source.reconnect_min", "10ms", "source.reconnect_max", "200ms"));
            SseSource source = new SseSource();
            runUntilAllSent(config, source);
            checkExactlyOnceAndCounted(config, api, source.credentials());
            assertThat(api.sseConnections()).as("the SSE stream was reopened with fresh tokens").isGreaterThan(1);
            checkNoLeak(api, stderr);
        }
    }

    @Test
    void aRefusedClientSecretFailsThePipelineWithOneSentenceAndExitCodeFour() throws Exception {
        String wrong = "it-Wrong-Secret-3e9a";
        try (OAuth2ProtectedApi api = new OAuth2ProtectedApi(CLIENT_SECRET, TOKEN_LIFETIME, GRACE, RECORDS, 5,
                Duration.ofMillis(1)); StderrCapture stderr = new StderrCapture()) {
            Map<String, String> keys = new HashMap<>(Map.of("source.type", "rest_poll",
                    "source.url", api.baseUrl() + "/api/users", "source.records_path", "results"));
            keys.put("source.auth.client_secret", wrong);
            PipelineConfig config = config("rest_refused", api, keys);
            try (IngestPipeline pipeline = IngestPipeline.builder(config).source(new RestPollSource())
                    .dataDir(kafka.dir().resolve("data")).build()) {
                pipeline.start();
                long deadline = System.nanoTime() + PATIENCE.toNanos();
                while (pipeline.failure().isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                ConnectionRefusedException refused = ConnectionRefusedException.findIn(pipeline.failure().orElseThrow());
                assertThat(refused).as("the pipeline failed because the token endpoint refused the client").isNotNull();
                assertThat(refused.getMessage()).isEqualTo("The OAuth2 token endpoint " + api.tokenUrl() + " refused "
                        + "client 'sluice-ingest' (HTTP 401, invalid_client): fix `source.auth.client_secret` (or "
                        + "`source.auth.client_id`).");
                assertThat(refused.exitCode()).as("a refused credential exits with code 4").isEqualTo(4);
            }
            assertThat(api.refusedClients()).as("the refused secret was tried once, not in a loop").isEqualTo(1);
            assertThat(stderr.text()).as("the wrong secret is not in the log either").doesNotContain(wrong);
        }
    }

    private static PipelineConfig config(String name, OAuth2ProtectedApi api, Map<String, String> source) {
        Map<String, String> keys = new HashMap<>(source);
        keys.put("record.key", "id");
        keys.put("source.auth.type", "oauth2_client_credentials");
        keys.put("source.auth.token_url", api.tokenUrl());
        keys.put("source.auth.client_id", OAuth2ProtectedApi.CLIENT_ID);
        keys.putIfAbsent("source.auth.client_secret", CLIENT_SECRET);
        return kafka.pipeline(name, keys);
    }

    private static void runUntilAllSent(PipelineConfig config, SourceTask source) throws Exception {
        try (IngestPipeline pipeline = IngestPipeline.builder(config).source(source)
                .dataDir(kafka.dir().resolve("data")).build()) {
            pipeline.start();
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (pipeline.failure().isEmpty() && System.nanoTime() < deadline
                    && pipeline.metrics().recordsSent() < RECORDS) {
                Thread.sleep(100);
            }
            pipeline.stop();
            assertThat(pipeline.failure()).as("pipeline %s ran without failing", config.name()).isEmpty();
            assertThat(pipeline.metrics().recordsSent()).as("pipeline %s sent every record within %d s",
                    config.name(), PATIENCE.toSeconds()).isEqualTo(RECORDS);
            assertThat(pipeline.metrics().sendErrors()).as("Kafka refused nothing").isZero();
        }
    }

    private static void checkExactlyOnceAndCounted(PipelineConfig config, OAuth2ProtectedApi api,
                                                   ApiCredentials credentials) {
        List<ConsumerRecord<String, byte[]>> records = KafkaTopicReader.readAll(kafka.bootstrapServers(),
                config.kafkaTopic(), Duration.ofSeconds(30));
        assertThat(records.stream().map(ConsumerRecord::key).sorted().toList())
                .as("every record of the API exactly once in Kafka, by key: no gap, no duplicate across token expiries")
                .isEqualTo(IntStream.range(0, RECORDS).mapToObj(i -> "user-" + i).sorted().toList());
        assertThat(credentials.tokenGrants()).as("the token was refreshed while the source ran").isGreaterThan(1);
        assertThat(credentials.tokenGrants()).as("the source counted exactly the grants the token endpoint made")
                .isEqualTo(api.grants());
        LOG.info("{}: {} records, {} token grants, {} API requests refused for a stale token", config.name(),
                records.size(), api.grants(), api.refusedTokens());
    }

    /** The client secret and every token granted: in no log, no file of the test, no process command line. */
    private static void checkNoLeak(OAuth2ProtectedApi api, StderrCapture stderr) throws IOException {
        List<String> secrets = new ArrayList<>(api.grantedTokens());
        secrets.add(CLIENT_SECRET);
        assertThat(secrets).as("tokens were granted, so there is something to search for").hasSizeGreaterThan(2);
        List<String> hits = new ArrayList<>();
        String log = stderr.text();
        assertThat(log).as("the captured log is not empty, so the search means something").isNotBlank();
        search("stderr (the slf4j log)", log, secrets, hits);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(kafka.dir())) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).as("Kafka's logs and data and the position files are searched")
                .anyMatch(f -> f.toString().contains("positions"));
        for (Path file : files) {
            search(file.toString(), new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1), secrets, hits);
        }
        ProcessHandle.allProcesses().forEach(p -> p.info().commandLine()
                .ifPresent(cmd -> search("the command line of process " + p.pid(), cmd, secrets, hits)));
        assertThat(hits).as("no secret value in any log, file or command line").isEmpty();
    }

    private static void search(String where, String text, List<String> secrets, List<String> hits) {
        for (String secret : secrets) {
            if (text.contains(secret)) {
                hits.add(where + " holds " + (secret.equals(CLIENT_SECRET) ? "the client secret" : "a token"));
            }
        }
    }
}
