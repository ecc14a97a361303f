package io.sluice.ingest.source.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.ConnectionRefusedException;
import io.sluice.config.PipelineConfig;
import io.sluice.ingest.ManualTicker;
import io.sluice.ingest.TestConfigs;
import io.sluice.ingest.source.SourceRecord;
import io.sluice.ingest.source.http.OAuth2ProtectedApi;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The REST source against a local API that wants OAuth2 tokens: one refresh and one retry on 401, then a sentence. */
class RestPollSourceAuthTest {
    private static final String SECRET = "rest-auth-Secret-0b9";

    private final ManualTicker ticker = new ManualTicker();
    private OAuth2ProtectedApi api;
    private RestPollSource source;

    @AfterEach
    void tearDown() {
        if (source != null) {
            source.stop();
        }
        if (api != null) {
            api.close();
        }
    }

    private void start(String secret) throws Exception {
        api = new OAuth2ProtectedApi(SECRET, Duration.ofMinutes(5), Duration.ZERO, 30, 10, Duration.ofMillis(1));
        Map<String, String> keys = new HashMap<>();
        keys.put("source.url", api.baseUrl() + "/api/users");
        keys.put("source.interval", "1m");
        keys.put("source.records_path", "results");
        keys.put("record.key", "id");
        keys.put("source.pagination.cursor_path", "next_cursor");
        keys.put("source.pagination.cursor_param", "cursor");
        keys.put("source.auth.type", "oauth2_client_credentials");
        keys.put("source.auth.token_url", api.tokenUrl());
        keys.put("source.auth.client_id", OAuth2ProtectedApi.CLIENT_ID);
        keys.put("source.auth.client_secret", secret);
        PipelineConfig config = TestConfigs.config(keys);
        source = new RestPollSource(ticker, Clock.systemUTC(), () -> 0.5, false, cycle -> { });
        source.start(new RecordingContext(config));
    }

    private List<SourceRecord> pollUntil(int records) throws InterruptedException {
        List<SourceRecord> out = new ArrayList<>();
        for (int i = 0; i < 200 && out.size() < records; i++) {
            out.addAll(source.poll(Duration.ofMillis(200)));
        }
        return out;
    }

    @Test
    void aRevokedTokenIsRefreshedOnceAndTheRequestRepeated() throws Exception {
        start(SECRET);
        assertThat(pollUntil(10)).as("the first page arrives with the first token").hasSize(10);
        api.revokeNext(1);
        List<SourceRecord> rest = pollUntil(20);
        assertThat(rest).as("the page refused with 401 arrives after one refresh, nothing lost")
                .extracting(SourceRecord::key).containsExactlyElementsOf(
                        java.util.stream.IntStream.range(10, 30).mapToObj(i -> "user-" + i).toList());
        assertThat(source.credentials().tokenGrants()).as("one token at start, one after the 401")
                .isEqualTo(2).isEqualTo(api.grants());
    }

    @Test
    void aTokenRefusedAgainAfterTheRefreshStopsTheSourceWithOneSentence() throws Exception {
        start(SECRET);
        api.revokeNext(2);
        assertThatThrownBy(() -> pollUntil(1)).isInstanceOf(ConnectionRefusedException.class)
                .hasMessageStartingWith("The API at " + api.baseUrl() + "/api/users refused the OAuth2 token of client "
                        + "'sluice-ingest' from " + api.tokenUrl() + " (HTTP 401) also after fetching a fresh one")
                .satisfies(e -> assertThat(((ConnectionRefusedException) e).exitCode()).isEqualTo(4));
        assertThat(api.grants()).as("exactly one refresh, not a loop of them").isEqualTo(2);
    }

    @Test
    void aRefusedClientSecretStopsTheSourceWithOneSentence() throws Exception {
        start("not-the-secret");
        assertThatThrownBy(() -> pollUntil(1)).isInstanceOf(ConnectionRefusedException.class)
                .hasMessageContaining("refused client 'sluice-ingest' (HTTP 401, invalid_client): fix "
                        + "`source.auth.client_secret`")
                .hasMessageNotContaining("not-the-secret");
    }
}
