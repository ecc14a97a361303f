package io.sluice.ingest.source.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.ConnectionRefusedException;
import io.sluice.config.Password;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The token cache against a real local token endpoint; its clock is moved by hand, never slept on. */
class OAuth2TokenCacheTest {
    private static final String SECRET = "cache-test-Secret-71";

    private final MovableClock clock = new MovableClock();
    private OAuth2ProtectedApi api;

    @AfterEach
    void close() {
        if (api != null) {
            api.close();
        }
    }

    private OAuth2TokenCache cache(String secret, Duration lifetime) throws Exception {
        api = new OAuth2ProtectedApi(SECRET, lifetime, Duration.ZERO, 0, 1, Duration.ofMillis(1));
        return new OAuth2TokenCache(new OAuth2TokenCache.Client(URI.create(api.tokenUrl()), OAuth2ProtectedApi.CLIENT_ID,
                new Password(secret), null, null, false), HttpClient.newHttpClient(), Duration.ofSeconds(5), clock);
    }

    @Test
    void aTokenIsReusedUntilEightyPercentOfItsLifetimeThenRefreshed() throws Exception {
        OAuth2TokenCache cache = cache(SECRET, Duration.ofSeconds(10));
        OAuth2TokenCache.AccessToken first = cache.token().get();
        clock.advance(Duration.ofSeconds(7));
        assertThat(cache.token().get()).as("a token 70% through its life is reused").isSameAs(first);
        clock.advance(Duration.ofMillis(1_100));
        OAuth2TokenCache.AccessToken second = cache.token().get();
        assertThat(second.grant()).as("a token 81% through its life is replaced before it expires").isEqualTo(2);
        assertThat(second.value()).isNotEqualTo(first.value());
        assertThat(cache.grants()).as("the cache counts what the endpoint granted").isEqualTo(api.grants()).isEqualTo(2);
    }

    @Test
    void anInvalidatedTokenIsFetchedAgainButOnlyOnce() throws Exception {
        OAuth2TokenCache cache = cache(SECRET, Duration.ofSeconds(60));
        OAuth2TokenCache.AccessToken first = cache.token().get();
        cache.invalidate(first);
        OAuth2TokenCache.AccessToken second = cache.token().get();
        cache.invalidate(first); // a late 401 to the old token must not throw the new one away
        assertThat(cache.token().get()).as("refusing an old token keeps the current one").isSameAs(second);
        assertThat(api.grants()).isEqualTo(2);
    }

    @Test
    void aRefusedClientSecretIsOneSentenceForExitCodeFour() throws Exception {
        OAuth2TokenCache cache = cache("wrong-secret", Duration.ofSeconds(60));
        assertThatThrownBy(() -> cache.token().get()).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(ConnectionRefusedException.class)
                .hasMessage("The OAuth2 token endpoint " + api.tokenUrl() + " refused client 'sluice-ingest' "
                        + "(HTTP 401, invalid_client): fix `source.auth.client_secret` (or `source.auth.client_id`).")
                .satisfies(e -> assertThat(((ConnectionRefusedException) e).exitCode()).isEqualTo(4));
        assertThat(cache.grants()).isZero();
    }

    @Test
    void aTokenNeverPrintsItsValue() throws Exception {
        OAuth2TokenCache.AccessToken token = cache(SECRET, Duration.ofSeconds(60)).token().get();
        assertThat(token.toString()).as("a token's toString shows no secret").doesNotContain(token.value().value())
                .contains("grant 1");
    }

    static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2025-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
