package io.sluice.config;

import static io.sluice.config.PipelineConfigTest.MINIMAL;
import static io.sluice.config.PipelineConfigTest.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The source credential keys: one test per rule, each naming the key and the fix. */
class ApiAuthConfigTest {
    private static final String SECRET = "client-Secret-9f3b";

    private static Map<String, String> oauth2() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("source.auth.type", "oauth2_client_credentials");
        o.put("source.auth.token_url", "https://auth.example.com/oauth/token");
        o.put("source.auth.client_id", "sluice-ingest");
        o.put("source.auth.client_secret", SECRET);
        return o;
    }

    private static String problemsOf(Map<String, String> overrides) {
        try {
            parse(MINIMAL, overrides);
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("the pipeline with " + overrides.keySet() + " should have been refused");
    }

    @Test
    void anOauth2SourceIsReadWithItsSecretHidden() {
        PipelineConfig config = parse(MINIMAL, oauth2());
        assertThat(config.sourceAuthType()).isEqualTo("oauth2_client_credentials");
        assertThat(config.sourceAuthClientSecret().value()).isEqualTo(SECRET);
        assertThat(String.valueOf(config.sourceAuthClientSecret())).as("a client secret prints as [hidden]")
                .isEqualTo("[hidden]");
        assertThat(config.sourceAuthClientAuth()).as("client_secret_basic is the RFC 6749 default").isEqualTo("basic");
    }

    @Test
    void oauth2NeedsTokenUrlClientIdAndSecret() {
        String problems = problemsOf(Map.of("source.auth.type", "oauth2_client_credentials"));
        assertThat(problems).as("each missing OAuth2 key is named")
                .contains("`source.auth.token_url` is required because `source.auth.type` is oauth2_client_credentials")
                .contains("`source.auth.client_id` is required").contains("`source.auth.client_secret` is required");
    }

    @Test
    void bearerNeedsAToken() {
        assertThat(problemsOf(Map.of("source.auth.type", "bearer")))
                .contains("`source.auth.token` is required because `source.auth.type` is bearer");
    }

    @Test
    void basicNeedsUserAndPassword() {
        assertThat(problemsOf(Map.of("source.auth.type", "basic", "source.auth.username", "u")))
                .contains("`source.auth.password` is required because `source.auth.type` is basic");
    }

    @Test
    void apiKeyNeedsWhereTheKeyGoes() {
        assertThat(problemsOf(Map.of("source.auth.type", "api_key", "source.auth.api_key", SECRET)))
                .contains("`source.auth.api_key_header` (or `source.auth.api_key_param`) is required");
    }

    @Test
    void apiKeyGoesInAHeaderOrAParameterNotBoth() {
        assertThat(problemsOf(Map.of("source.auth.type", "api_key", "source.auth.api_key", SECRET,
                "source.auth.api_key_header", "X-API-Key", "source.auth.api_key_param", "api_key")))
                .contains("`source.auth.api_key_param` must not be set together with `source.auth.api_key_header`");
    }

    @Test
    void aKeyOfAnotherAuthTypeIsRefused() {
        String problems = problemsOf(Map.of("source.auth.token", SECRET));
        assertThat(problems).as("a token without `source.auth.type: bearer` names both keys")
                .contains("`source.auth.token` applies only to `source.auth.type` bearer, but it is none");
        assertThat(problems).as("the secret itself is never in a message").doesNotContain(SECRET);
    }

    @Test
    void anUnknownAuthTypeIsRefused() {
        assertThat(problemsOf(Map.of("source.auth.type", "digest"))).contains("`source.auth.type` must be one of none, "
                + "bearer, basic, api_key, oauth2_client_credentials, got 'digest'");
    }

    @Test
    void mqttTakesOnlyBasicAuth() {
        Map<String, String> mqtt = new LinkedHashMap<>(Map.of("source.type", "mqtt", "source.url", "tcp://127.0.0.1:1883",
                "source.mqtt.topic", "t", "source.mqtt.client_id", "c", "source.auth.type", "bearer",
                "source.auth.token", SECRET));
        assertThat(problemsOf(mqtt)).contains("`source.auth.type` must be none or basic for `source.type` mqtt");
    }

    @Test
    void headerValuesAreSecretsAndNeverPrinted() {
        Map<String, String> o = Map.of("source.headers.X-Tenant", "acme", "source.headers.X-Api-Key", SECRET);
        PipelineConfig config = parse(MINIMAL, o);
        assertThat(config.sourceHeaders()).containsEntry("X-Api-Key", SECRET).containsEntry("X-Tenant", "acme");
        assertThat(PipelineConfig.DEFINITION.isSecret("source.headers.X-Api-Key"))
                .as("a header entry set with --set is a secret, so it never rides on a child JVM's command line").isTrue();
        assertThat(ConfigType.SECRET_MAP.render(config.sourceHeaders())).as("header values print as [hidden]")
                .doesNotContain(SECRET).contains("X-Api-Key=[hidden]");
    }

    @Test
    void aBadHeaderNameIsRefusedWithoutShowingValues() {
        String problems = problemsOf(Map.of("source.headers.Bad Name", SECRET));
        assertThat(problems).contains("`source.headers` has entry 'Bad Name' that must be an HTTP header name")
                .doesNotContain(SECRET);
    }

    @Test
    void aHeaderMapFromTheFileIsReadToo() {
        String yaml = MINIMAL.replace("source: {url: \"http://127.0.0.1:1/api\"}",
                "source:\n  url: http://127.0.0.1:1/api\n  headers:\n    X-Tenant: acme");
        Map<String, Object> flat = PipelineFileReader.parse(new StringReader(yaml), PipelineConfig.DEFINITION, "t.yaml");
        PipelineConfig config = PipelineConfig.from(flat, Map.of(), "t.yaml");
        assertThat(config.sourceHeaders()).containsEntry("X-Tenant", "acme");
    }

    @Test
    void authorizationHeaderClashesWithAnAuthType() {
        Map<String, String> o = new LinkedHashMap<>(oauth2());
        o.put("source.headers.Authorization", "Bearer x");
        assertThat(problemsOf(o)).contains("`source.headers` must not set Authorization when `source.auth.type` is "
                + "oauth2_client_credentials");
    }

    @Test
    void tlsStoresNeedATlsUrl() {
        assertThatThrownBy(() -> parse(MINIMAL, Map.of("source.tls.truststore.path", "/etc/hosts",
                "source.tls.truststore.password", SECRET)))
                .hasMessageContaining("`source.tls.truststore.path` is set but `source.url` uses http, which does not use TLS");
    }
}
