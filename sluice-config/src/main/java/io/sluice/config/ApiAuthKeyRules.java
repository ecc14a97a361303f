package io.sluice.config;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Rules that tie the source credential keys ({@code source.auth.*}, {@code source.headers}, {@code source.tls.*})
 * together: each auth type needs its own keys and no other type's, and TLS settings need a TLS URL. Checked at load,
 * so a typo is a config error naming the key, not a 401 after the first request.
 */
final class ApiAuthKeyRules {
    static final String NONE = "none";
    static final String BEARER = "bearer";
    static final String BASIC = "basic";
    static final String API_KEY = "api_key";
    static final String OAUTH2 = "oauth2_client_credentials";
    static final String[] TYPES = {NONE, BEARER, BASIC, API_KEY, OAUTH2};

    /** RFC 9110 token characters. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** Headers the JDK HTTP client sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");
    private static final Set<String> TLS_SCHEMES = Set.of("https", "wss", "ssl", "grpcs");

    private ApiAuthKeyRules() {
    }

    /** Validator message for one header name, or null when it is fine. */
    static String headerName(String name) {
        if (!HEADER_NAME.matcher(name).matches()) {
            return "must be an HTTP header name (letters, digits and -, no spaces or colons), such as X-API-Key";
        }
        if (RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
            return "names a header the HTTP client sets itself (" + name + "); leave it out";
        }
        return null;
    }

    static String headerNames(Map<?, ?> headers) {
        for (Object name : headers.keySet()) {
            String problem = headerName(String.valueOf(name));
            if (problem != null) {
                return "has entry '" + name + "' that " + problem;
            }
        }
        return null;
    }

    static void check(PipelineConfig config, List<ConfigProblem> problems) {
        String type = config.sourceAuthType();
        checkRequiredKeys(config, type, problems);
        checkKeysOfOtherTypes(config, type, problems);
        if (config.sourceType().equals("mqtt")) {
            if (!type.equals(NONE) && !type.equals(BASIC)) {
                problems.add(new ConfigProblem("source.auth.type", type, "must be none or basic for `source.type` mqtt "
                        + "(basic sends `source.auth.username` and `source.auth.password` in the MQTT CONNECT)"));
            }
            if (!config.sourceHeaders().isEmpty()) {
                problems.add(new ConfigProblem("source.headers", null, "applies only to HTTP-based sources "
                        + "(rest_poll, sse, websocket), not mqtt"));
            }
        }
        if (config.sourceType().equals("grpc") && type.equals(API_KEY) && config.sourceAuthApiKeyParam() != null) {
            problems.add(new ConfigProblem("source.auth.api_key_param", config.sourceAuthApiKeyParam(), "cannot carry "
                    + "the key of a gRPC call, which has no query string; use `source.auth.api_key_header`"));
        }
        if (config.sourceType().equals("grpc") && !config.sourceTlsVerifyHostname()) {
            problems.add(new ConfigProblem("source.tls.verify_hostname", "false", "cannot be turned off for `source.type` "
                    + "grpc; put the server's name in its certificate instead"));
        }
        boolean setsAuthorization = config.sourceHeaders().keySet().stream().anyMatch("Authorization"::equalsIgnoreCase);
        if (setsAuthorization && (type.equals(BEARER) || type.equals(BASIC) || type.equals(OAUTH2))) {
            problems.add(new ConfigProblem("source.headers", null, "must not set Authorization when `source.auth.type` is "
                    + type + ", which sends its own; remove one of them"));
        }
        checkTls(config, problems);
    }

    private static void checkRequiredKeys(PipelineConfig config, String type, List<ConfigProblem> problems) {
        String because = "`source.auth.type` is " + type;
        switch (type) {
            case BEARER -> require(problems, "source.auth.token", config.sourceAuthToken(), because);
            case BASIC -> {
                require(problems, "source.auth.username", config.sourceAuthUsername(), because);
                require(problems, "source.auth.password", config.sourceAuthPassword(), because);
            }
            case API_KEY -> {
                require(problems, "source.auth.api_key", config.sourceAuthApiKey(), because);
                boolean header = config.sourceAuthApiKeyHeader() != null;
                boolean param = config.sourceAuthApiKeyParam() != null;
                if (header == param) {
                    problems.add(new ConfigProblem(header ? "source.auth.api_key_param" : "source.auth.api_key_header",
                            null, header ? "must not be set together with `source.auth.api_key_header`: the key goes in "
                            + "a header or in a query parameter, pick one" : "(or `source.auth.api_key_param`) is required "
                            + "because " + because + ": say where the key goes, e.g. X-API-Key"));
                }
            }
            case OAUTH2 -> {
                require(problems, "source.auth.token_url", config.sourceAuthTokenUrl(), because);
                require(problems, "source.auth.client_id", config.sourceAuthClientId(), because);
                require(problems, "source.auth.client_secret", config.sourceAuthClientSecret(), because);
                String tokenUrl = config.sourceAuthTokenUrl();
                if (tokenUrl != null && Validators.url().check(tokenUrl) == null
                        && !List.of("http", "https").contains(URI.create(tokenUrl).getScheme().toLowerCase(Locale.ROOT))) {
                    problems.add(new ConfigProblem("source.auth.token_url", tokenUrl, "must use http or https"));
                }
            }
            default -> {
            }
        }
    }

    /** A key of another auth type is a mistake (a forgotten `source.auth.type`), not something to ignore silently. */
    private static void checkKeysOfOtherTypes(PipelineConfig config, String type, List<ConfigProblem> problems) {
        onlyFor(BEARER, type, "source.auth.token", config.sourceAuthToken(), problems);
        onlyFor(BASIC, type, "source.auth.username", config.sourceAuthUsername(), problems);
        onlyFor(BASIC, type, "source.auth.password", config.sourceAuthPassword(), problems);
        onlyFor(API_KEY, type, "source.auth.api_key", config.sourceAuthApiKey(), problems);
        onlyFor(API_KEY, type, "source.auth.api_key_header", config.sourceAuthApiKeyHeader(), problems);
        onlyFor(API_KEY, type, "source.auth.api_key_param", config.sourceAuthApiKeyParam(), problems);
        onlyFor(OAUTH2, type, "source.auth.token_url", config.sourceAuthTokenUrl(), problems);
        onlyFor(OAUTH2, type, "source.auth.client_id", config.sourceAuthClientId(), problems);
        onlyFor(OAUTH2, type, "source.auth.client_secret", config.sourceAuthClientSecret(), problems);
        onlyFor(OAUTH2, type, "source.auth.scope", config.sourceAuthScope(), problems);
        onlyFor(OAUTH2, type, "source.auth.audience", config.sourceAuthAudience(), problems);
    }

    private static void checkTls(PipelineConfig config, List<ConfigProblem> problems) {
        String truststore = config.sourceTlsTruststorePath();
        String keystore = config.sourceTlsKeystorePath();
        String url = config.sourceUrl();
        if ((truststore != null || keystore != null) && url != null && Validators.url().check(url) == null) {
            String scheme = URI.create(url).getScheme().toLowerCase(Locale.ROOT);
            if (!TLS_SCHEMES.contains(scheme)) {
                problems.add(new ConfigProblem(truststore != null ? "source.tls.truststore.path" : "source.tls.keystore.path",
                        null, "is set but `source.url` uses " + scheme + ", which does not use TLS; use https, wss, ssl or grpcs"));
            }
        }
        SecurityKeyRules.store(problems, "source.tls.truststore.path", truststore, "source.tls.truststore.password",
                config.sourceTlsTruststorePassword());
        SecurityKeyRules.store(problems, "source.tls.keystore.path", keystore, "source.tls.keystore.password",
                config.sourceTlsKeystorePassword());
    }

    private static void require(List<ConfigProblem> problems, String key, Object value, String because) {
        if (value == null) {
            problems.add(new ConfigProblem(key, null, "is required because " + because));
        }
    }

    private static void onlyFor(String owner, String type, String key, Object value, List<ConfigProblem> problems) {
        if (value != null && !owner.equals(type)) {
            problems.add(new ConfigProblem(key, null, "applies only to `source.auth.type` " + owner + ", but it is " + type
                    + "; set `source.auth.type: " + owner + "` or remove the key"));
        }
    }
}
