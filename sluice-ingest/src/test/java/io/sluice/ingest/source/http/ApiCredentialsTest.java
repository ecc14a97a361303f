package io.sluice.ingest.source.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.ConnectionRefusedException;
import io.sluice.config.PipelineConfig;
import io.sluice.ingest.TestConfigs;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What each {@code source.auth.type} adds to a request, and the sentence when the server refuses it. */
class ApiCredentialsTest {
    private static final String SECRET = "api-Secret-5c2e";
    private static final String SERVER = "https://api.example.com/v1/users";

    private static ApiCredentials credentials(Map<String, String> keys) {
        Map<String, String> all = new HashMap<>(keys);
        all.put("source.url", SERVER + "?page=1");
        PipelineConfig config = TestConfigs.config(all);
        return ApiCredentials.from(config, HttpClient.newHttpClient());
    }

    private static ApiCredentials.Authorization authorization(Map<String, String> keys) throws Exception {
        return credentials(keys).authorizationNow();
    }

    @Test
    void bearerSendsTheToken() throws Exception {
        var auth = authorization(Map.of("source.auth.type", "bearer", "source.auth.token", SECRET));
        assertThat(auth.headers()).containsEntry("Authorization", "Bearer " + SECRET);
        assertThat(auth.toString()).as("an authorization prints no secret").doesNotContain(SECRET);
    }

    @Test
    void basicSendsUserAndPasswordInBase64() throws Exception {
        var auth = authorization(Map.of("source.auth.type", "basic", "source.auth.username", "reader",
                "source.auth.password", SECRET));
        assertThat(auth.headers()).containsEntry("Authorization", "Basic "
                + Base64.getEncoder().encodeToString(("reader:" + SECRET).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void apiKeyGoesInItsHeader() throws Exception {
        var auth = authorization(Map.of("source.auth.type", "api_key", "source.auth.api_key", SECRET,
                "source.auth.api_key_header", "X-API-Key"));
        assertThat(auth.headers()).containsEntry("X-API-Key", SECRET).doesNotContainKey("Authorization");
        assertThat(auth.applyTo(URI.create(SERVER))).as("a header key leaves the URL alone").isEqualTo(URI.create(SERVER));
    }

    @Test
    void apiKeyInAQueryParameterIsAddedToTheRequestOnlyAndScrubbedFromStoredUrls() throws Exception {
        ApiCredentials credentials = credentials(Map.of("source.auth.type", "api_key", "source.auth.api_key", SECRET,
                "source.auth.api_key_param", "api_key"));
        var auth = credentials.authorizationNow();
        assertThat(auth.applyTo(URI.create(SERVER + "?page=2")).toString()).isEqualTo(SERVER + "?page=2&api_key=" + SECRET);
        assertThat(credentials.scrub(SERVER + "?page=2&api_key=" + SECRET))
                .as("a next link that echoes the key is saved without it").isEqualTo(SERVER + "?page=2");
    }

    @Test
    void staticHeadersGoWithEveryAuthType() throws Exception {
        var auth = authorization(Map.of("source.headers.X-Tenant", "acme", "source.auth.type", "bearer",
                "source.auth.token", SECRET));
        assertThat(auth.headers()).containsEntry("X-Tenant", "acme").containsEntry("Authorization", "Bearer " + SECRET);
    }

    @Test
    void aRefusedStaticCredentialNamesServerUserAndKey() {
        ConnectionRefusedException refused = credentials(Map.of("source.auth.type", "basic", "source.auth.username", "reader",
                "source.auth.password", SECRET)).refusedBy(SERVER, 401);
        assertThat(refused.getMessage()).isEqualTo("The API at " + SERVER + " refused user 'reader' (HTTP 401): fix "
                + "`source.auth.password` (or `source.auth.username`).");
        assertThat(refused.exitCode()).as("refused credentials exit with code 4").isEqualTo(4);
    }

    @Test
    void aRefusedOauth2TokenNamesTheClientAndTheTokenEndpoint() {
        ApiCredentials credentials = credentials(Map.of("source.auth.type", "oauth2_client_credentials",
                "source.auth.token_url", "https://auth.example.com/oauth/token?tenant=x",
                "source.auth.client_id", "sluice-ingest", "source.auth.client_secret", SECRET));
        assertThat(credentials.canRefresh()).as("an OAuth2 token can be refreshed after a 401").isTrue();
        assertThat(credentials.refusedBy(SERVER, 401).getMessage()).isEqualTo("The API at " + SERVER + " refused the "
                + "OAuth2 token of client 'sluice-ingest' from https://auth.example.com/oauth/token (HTTP 401) also after "
                + "fetching a fresh one: fix `source.auth.scope` or `source.auth.audience` (or `source.auth.client_id`, "
                + "`source.auth.client_secret`).");
    }

    @Test
    void noCredentialsAtAllSaysWhichKeyToSet() {
        assertThat(credentials(Map.of()).refusedBy(SERVER, 401).getMessage())
                .isEqualTo("The API at " + SERVER + " wants credentials (HTTP 401) and `source.auth.type` is none: set "
                        + "`source.auth.type` and its keys (see docs/security.md).");
    }
}
