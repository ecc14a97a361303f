package io.sluice.ingest.source.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.config.ConnectionRefusedException;
import io.sluice.config.Password;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OAuth2 client-credentials token (RFC 6749 §4.4), fetched when first needed and kept until
 * {@value #REFRESH_SHARE_PERCENT}% of its {@code expires_in} has passed, so a request never goes out with a token about
 * to expire; a token the API refused ({@link #invalidate}) is fetched again at once. One fetch at a time: callers
 * that ask meanwhile share it. Time is the injected {@link Clock}, so tests move it instead of sleeping.
 *
 * <p>The token endpoint refusing the client (HTTP 400/401 with {@code invalid_client}, {@code unauthorized_client},
 * {@code invalid_grant}, {@code invalid_scope}) fails with a {@link ConnectionRefusedException} naming the endpoint,
 * the client id and the key to fix: retrying cannot help. Anything else (5xx, a timeout, a body that is not a token)
 * fails with an {@link IOException}, which the caller retries with its usual backoff.
 *
 * <p>Neither the secret nor a token ever reaches a log line or a message: they live in {@link Password}s.
 */
public final class OAuth2TokenCache {
    private static final Logger LOG = LoggerFactory.getLogger(OAuth2TokenCache.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final int REFRESH_SHARE_PERCENT = 80;

    /** A token and when to fetch the next one. {@code toString} shows no secret. */
    public record AccessToken(Password value, Instant refreshAt, long grant) {
        @Override
        public String toString() {
            return "AccessToken[grant " + grant + ", refresh at " + refreshAt + "]";
        }
    }

    /** Where and how to ask: the {@code source.auth.*} keys of {@code oauth2_client_credentials}. */
    public record Client(URI tokenUrl, String clientId, Password clientSecret, String scope, String audience,
                         boolean secretInForm) {
    }

    private final Client client;
    private final HttpClient http;
    private final Duration timeout;
    private final Clock clock;
    private final AtomicLong grants = new AtomicLong();

    private AccessToken current; // guarded by this
    private CompletableFuture<AccessToken> fetching; // guarded by this

    public OAuth2TokenCache(Client client, HttpClient http, Duration timeout, Clock clock) {
        this.client = client;
        this.http = http;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** The cached token while it is fresh, else a new one (one fetch shared by every caller waiting for it). */
    public synchronized CompletableFuture<AccessToken> token() {
        if (current != null && clock.instant().isBefore(current.refreshAt())) {
            return CompletableFuture.completedFuture(current);
        }
        if (fetching == null) {
            CompletableFuture<AccessToken> fetch = fetch();
            fetching = fetch;
            fetch.whenComplete((token, error) -> settle(fetch, token));
        }
        return fetching;
    }

    /** The API refused {@code rejected}: the next {@link #token()} fetches a new one (unless that already happened). */
    public synchronized void invalidate(AccessToken rejected) {
        if (current != null && current.grant() == rejected.grant()) {
            current = null;
        }
    }

    /** Tokens granted so far: the first one and every refresh. */
    public long grants() {
        return grants.get();
    }

    public String clientId() {
        return client.clientId();
    }

    public URI tokenUrl() {
        return client.tokenUrl();
    }

    private synchronized void settle(CompletableFuture<AccessToken> fetch, AccessToken token) {
        if (fetching == fetch) {
            fetching = null;
        }
        if (token != null) {
            current = token;
        }
    }

    private CompletableFuture<AccessToken> fetch() {
        Instant asked = clock.instant();
        return http.sendAsync(request(), HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(response -> accept(response, asked));
    }

    private HttpRequest request() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        if (client.scope() != null) {
            form.put("scope", client.scope());
        }
        if (client.audience() != null) {
            form.put("audience", client.audience());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(client.tokenUrl()).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json");
        if (client.secretInForm()) {
            form.put("client_id", client.clientId());
            form.put("client_secret", client.clientSecret().value());
        } else {
            // RFC 6749 §2.3.1: both parts form-encoded before they are joined, so a ':' in the id cannot split them.
            String pair = encode(client.clientId()) + ":" + encode(client.clientSecret().value());
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        String body = form.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return request.POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private AccessToken accept(HttpResponse<byte[]> response, Instant asked) {
        int status = response.statusCode();
        JsonNode body = parse(response.body());
        if (status / 100 != 2) {
            String error = body == null ? "" : body.path("error").asText("");
            if (status == 401 || status == 403 || status == 400 && !error.isEmpty() && !error.equals("invalid_request")) {
                throw new CompletionException(refused(status, error));
            }
            throw new CompletionException(new IOException("the OAuth2 token endpoint " + Urls.withoutQuery(client.tokenUrl())
                    + " answered HTTP " + status + (error.isEmpty() ? "" : " (" + error + ")")));
        }
        String token = body == null ? "" : body.path("access_token").asText("");
        if (token.isEmpty()) {
            throw new CompletionException(new IOException("the OAuth2 token endpoint " + Urls.withoutQuery(client.tokenUrl())
                    + " answered HTTP " + status + " without an access_token"));
        }
        long expiresIn = body.path("expires_in").asLong(0);
        // Without expires_in the token is kept until the API refuses it; a 401 then fetches a new one.
        Instant refreshAt = expiresIn > 0
                ? asked.plusMillis(expiresIn * 1000 * REFRESH_SHARE_PERCENT / 100)
                : Instant.MAX;
        long grant = grants.incrementAndGet();
        LOG.debug("OAuth2 token {} for client '{}' from {} (expires_in {} s)", grant, client.clientId(),
                Urls.withoutQuery(client.tokenUrl()), expiresIn);
        return new AccessToken(new Password(token), refreshAt, grant);
    }

    private ConnectionRefusedException refused(int status, String error) {
        return new ConnectionRefusedException(ConnectionRefusedException.Kind.AUTHENTICATION,
                "The OAuth2 token endpoint " + Urls.withoutQuery(client.tokenUrl()) + " refused client '" + client.clientId()
                        + "' (HTTP " + status + (error.isEmpty() ? "" : ", " + error) + "): fix `source.auth.client_secret`"
                        + " (or `source.auth.client_id`" + (client.scope() != null ? ", `source.auth.scope`" : "")
                        + (client.audience() != null ? ", `source.auth.audience`" : "") + ").", null);
    }

    private static JsonNode parse(byte[] body) {
        try {
            return body == null || body.length == 0 ? null : MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
