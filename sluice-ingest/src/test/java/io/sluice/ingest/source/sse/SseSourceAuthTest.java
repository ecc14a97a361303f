package io.sluice.ingest.source.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.ConnectionRefusedException;
import io.sluice.config.PipelineConfig;
import io.sluice.ingest.TestConfigs;
import io.sluice.ingest.source.SourceRecord;
import io.sluice.ingest.source.http.OAuth2ProtectedApi;
import io.sluice.ingest.source.push.SourceHarness;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The SSE source against a local stream that wants OAuth2 tokens and ends each stream when its token expires: the
 * source reconnects with a fresh token and resumes after the last event id, so every event arrives once.
 */
class SseSourceAuthTest {
    private static final String SECRET = "sse-auth-Secret-44d";

    private OAuth2ProtectedApi api;

    @AfterEach
    void tearDown() {
        if (api != null) {
            api.close();
        }
    }

    private PipelineConfig config(String secret) {
        Map<String, String> keys = new HashMap<>();
        keys.put("source.type", "sse");
        keys.put("source.url", api.baseUrl() + "/sse");
        keys.put("source.records_path", "");
        keys.put("record.key", "id");
        keys.put("source.reconnect_min", "10ms");
        keys.put("source.reconnect_max", "100ms");
        keys.put("source.auth.type", "oauth2_client_credentials");
        keys.put("source.auth.token_url", api.tokenUrl());
        keys.put("source.auth.client_id", OAuth2ProtectedApi.CLIENT_ID);
        keys.put("source.auth.client_secret", secret);
        return TestConfigs.config(keys);
    }

    @Test
    void expiringTokensAreRefreshedAndEveryEventArrivesOnce() throws Exception {
        api = new OAuth2ProtectedApi(SECRET, Duration.ofSeconds(1), Duration.ofMillis(200), 120, 10, Duration.ofMillis(20));
        SseSource source = new SseSource();
        try (SourceHarness harness = new SourceHarness(config(SECRET), source).start()) {
            List<SourceRecord> records = harness.collect(120, Duration.ofSeconds(30));
            assertThat(records).extracting(SourceRecord::key).as("every event once, in order, across token expiries")
                    .containsExactlyElementsOf(IntStream.range(0, 120).mapToObj(i -> "user-" + i).toList());
            assertThat(api.sseConnections()).as("the stream ended with each token and was reopened").isGreaterThan(1);
            assertThat(source.credentials().tokenGrants()).as("a token per stream, counted alike on both sides")
                    .isGreaterThan(1).isEqualTo(api.grants());
        }
    }

    @Test
    void aTokenRefusedAgainAfterARefreshStopsTheSourceWithOneSentence() throws Exception {
        api = new OAuth2ProtectedApi(SECRET, Duration.ofMinutes(5), Duration.ZERO, 10, 10, Duration.ofMillis(20));
        api.revokeNext(2);
        SseSource source = new SseSource();
        try (SourceHarness harness = new SourceHarness(config(SECRET), source).start()) {
            assertThatThrownBy(() -> harness.collect(1, Duration.ofSeconds(20)))
                    .isInstanceOf(ConnectionRefusedException.class)
                    .hasMessage("The API at " + api.baseUrl() + "/sse refused the OAuth2 token of client 'sluice-ingest' "
                            + "from " + api.tokenUrl() + " (HTTP 401) also after fetching a fresh one: fix "
                            + "`source.auth.scope` or `source.auth.audience` (or `source.auth.client_id`, "
                            + "`source.auth.client_secret`).");
            assertThat(api.grants()).as("one token, one refresh, no loop").isEqualTo(2);
        }
    }

    @Test
    void aRefusedClientSecretStopsTheSourceWithOneSentence() throws Exception {
        api = new OAuth2ProtectedApi(SECRET, Duration.ofMinutes(5), Duration.ZERO, 10, 10, Duration.ofMillis(20));
        SseSource source = new SseSource();
        try (SourceHarness harness = new SourceHarness(config("wrong-secret"), source).start()) {
            assertThatThrownBy(() -> harness.collect(1, Duration.ofSeconds(20)))
                    .isInstanceOf(ConnectionRefusedException.class)
                    .hasMessageContaining("refused client 'sluice-ingest' (HTTP 401, invalid_client)");
            assertThat(api.refusedClients()).as("asked once, not in a loop").isEqualTo(1);
        }
    }
}
