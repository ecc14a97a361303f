package io.sluice.ingest.source.http;

import io.sluice.config.ConnectionFailures;
import io.sluice.config.ConnectionRefusedException;
import io.sluice.config.Password;
import io.sluice.config.PipelineConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;

/**
 * How an HTTP-based source (REST, SSE, WebSocket; gRPC later) proves who it is: the static {@code source.headers},
 * and the {@code source.auth.type} credential (a bearer token, basic user and password, an API key in a header or a
 * query parameter, or an OAuth2 client-credentials token from {@link OAuth2TokenCache}). A source asks for an
 * {@link Authorization} before each request or connect, applies it, and on HTTP 401 calls {@link #rejected}: that
 * fetches a fresh OAuth2 token, and the source retries (or reconnects) once. A second 401, or a 401 with a static
 * credential that no refresh can change, is {@link #refusedBy}: one sentence, exit code 4.
 *
 * <p>Secrets stay in {@link Password}s and {@link Authorization#toString()} shows none; the API key of a query
 * parameter is added to the URL of the request alone, never to what is logged or saved as a position
 * ({@link #scrub}).
 */
public final class ApiCredentials {
    private final String type;
    private final Map<String, String> staticHeaders;
    private final Map<String, String> authHeaders = new LinkedHashMap<>();
    private final String keyParam;
    private final Password keyValue;
    private final OAuth2TokenCache tokens;
    private final PipelineConfig config;

    /**
     * What to add to one request. {@code token} is the OAuth2 token it carries (null for other types), so that
     * {@link #rejected} refreshes only a token that is still current.
     */
    public record Authorization(Map<String, String> headers, String queryParam, Password queryValue,
                                OAuth2TokenCache.AccessToken token) {
        /** {@code uri} with the API key parameter, when there is one: for the request only. */
        public URI applyTo(URI uri) {
            return queryParam == null ? uri : Urls.withQueryParam(uri, queryParam, queryValue.value());
        }

        public void forEachHeader(BiConsumer<String, String> header) {
            headers.forEach(header);
        }

        @Override
        public String toString() {
            return "Authorization[headers " + headers.keySet() + (queryParam == null ? "" : ", query parameter " + queryParam)
                    + (token == null ? "" : ", " + token) + "]";
        }
    }

    private ApiCredentials(PipelineConfig config, OAuth2TokenCache tokens) {
        this.config = config;
        this.type = config.sourceAuthType();
        this.staticHeaders = Map.copyOf(config.sourceHeaders());
        this.tokens = tokens;
        String param = null;
        Password value = null;
        switch (type) {
            case "bearer" -> authHeaders.put("Authorization", "Bearer " + config.sourceAuthToken().value());
            case "basic" -> {
                String pair = config.sourceAuthUsername() + ":" + config.sourceAuthPassword().value();
                authHeaders.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
            }
            case "api_key" -> {
                if (config.sourceAuthApiKeyHeader() != null) {
                    authHeaders.put(config.sourceAuthApiKeyHeader(), config.sourceAuthApiKey().value());
                } else {
                    param = config.sourceAuthApiKeyParam();
                    value = config.sourceAuthApiKey();
                }
            }
            default -> {
            }
        }
        this.keyParam = param;
        this.keyValue = value;
    }

    /**
     * The credentials of {@code config}'s source. {@code tokenClient} fetches OAuth2 tokens (it should trust what the
     * source trusts: build it with {@link SourceTls#httpClient}); {@code clock} decides when a token is due.
     */
    public static ApiCredentials from(PipelineConfig config, HttpClient tokenClient, Clock clock) {
        OAuth2TokenCache tokens = null;
        if (config.sourceAuthType().equals("oauth2_client_credentials")) {
            tokens = new OAuth2TokenCache(new OAuth2TokenCache.Client(URI.create(config.sourceAuthTokenUrl()),
                    config.sourceAuthClientId(), config.sourceAuthClientSecret(), config.sourceAuthScope(),
                    config.sourceAuthAudience(), config.sourceAuthClientAuth().equals("post")), tokenClient,
                    config.sourceTimeout(), clock);
        }
        return new ApiCredentials(config, tokens);
    }

    public static ApiCredentials from(PipelineConfig config, HttpClient tokenClient) {
        return from(config, tokenClient, Clock.systemUTC());
    }

    /** What to add to the next request; with OAuth2 it completes once a fresh token is at hand. */
    public CompletableFuture<Authorization> authorization() {
        if (tokens == null) {
            return CompletableFuture.completedFuture(withToken(null));
        }
        return tokens.token().thenApply(this::withToken);
    }

    /**
     * As {@link #authorization()}, waiting for it (push sources connect on their own thread).
     *
     * @throws ConnectionRefusedException when the token endpoint refused the client
     * @throws IOException                when the token endpoint could not be reached or answered nonsense: retry later
     */
    public Authorization authorizationNow() throws IOException, InterruptedException {
        try {
            return authorization().get();
        } catch (ExecutionException e) {
            Throwable cause = unwrap(e);
            if (cause instanceof ConnectionRefusedException refused) {
                throw refused;
            }
            throw cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
        }
    }

    /** True when a 401 can be cured by asking for new credentials (OAuth2); a static credential stays as it was. */
    public boolean canRefresh() {
        return tokens != null;
    }

    /** The server answered 401 to {@code used}: the next {@link #authorization()} fetches a new token. */
    public void rejected(Authorization used) {
        if (tokens != null && used.token() != null) {
            tokens.invalidate(used.token());
        }
    }

    /** OAuth2 tokens granted so far (0 for other auth types): the first one and every refresh. */
    public long tokenGrants() {
        return tokens == null ? 0 : tokens.grants();
    }

    /** {@code url} without the API key parameter: what may be logged or saved in a position. */
    public String scrub(String url) {
        if (keyParam == null || url == null) {
            return url;
        }
        URI uri = URI.create(url);
        if (Urls.queryParam(uri, keyParam).isEmpty()) {
            return url;
        }
        return Urls.withoutQueryParam(uri, keyParam).toString();
    }

    /**
     * The server at {@code server} (a URL without query or user info) answered {@code status} (401) to credentials
     * that a refresh cannot cure: the one sentence naming server, user and key, for exit code 4.
     */
    public ConnectionRefusedException refusedBy(String server, int status) {
        String user = ConnectionFailures.sourceUser(config);
        String who = user == null ? "" : " " + user;
        String sentence = switch (type) {
            case "bearer" -> "The API at " + server + " refused the bearer token (HTTP " + status + "): fix `source.auth.token`.";
            case "basic" -> "The API at " + server + " refused" + who + " (HTTP " + status + "): fix `source.auth.password` "
                    + "(or `source.auth.username`).";
            case "api_key" -> "The API at " + server + " refused the API key sent in " + (keyParam == null
                    ? "header '" + config.sourceAuthApiKeyHeader() + "'" : "query parameter '" + keyParam + "'")
                    + " (HTTP " + status + "): fix `source.auth.api_key`.";
            case "oauth2_client_credentials" -> "The API at " + server + " refused the OAuth2 token of" + who + " from "
                    + Urls.withoutQuery(tokens.tokenUrl()) + " (HTTP " + status + ") also after fetching a fresh one: fix "
                    + "`source.auth.scope` or `source.auth.audience` (or `source.auth.client_id`, `source.auth.client_secret`).";
            default -> "The API at " + server + " wants credentials (HTTP " + status + ") and `source.auth.type` is none: "
                    + "set `source.auth.type` and its keys (see docs/security.md).";
        };
        return new ConnectionRefusedException(ConnectionRefusedException.Kind.AUTHENTICATION, sentence, null);
    }

    private Authorization withToken(OAuth2TokenCache.AccessToken token) {
        Map<String, String> headers = new LinkedHashMap<>(staticHeaders);
        headers.putAll(authHeaders);
        if (token != null) {
            headers.put("Authorization", "Bearer " + token.value().value());
        }
        return new Authorization(Map.copyOf(headers), keyParam, keyValue, token);
    }

    /** The first cause that is not a wrapper of {@link CompletableFuture}. */
    public static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
