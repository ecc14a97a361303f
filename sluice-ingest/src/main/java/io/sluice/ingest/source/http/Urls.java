package io.sluice.ingest.source.http;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** URL helpers for HTTP-based sources. */
public final class Urls {
    private Urls() {
    }

    /**
     * Query strings often carry API keys and user info carries passwords; logs, errors and dead-letter headers show
     * only where the connection went: scheme, host, port and path.
     */
    public static String withoutQuery(URI uri) {
        String host = uri.getHost() != null ? uri.getHost() : hostOf(uri.getRawAuthority());
        String port = uri.getPort() >= 0 && uri.getHost() != null ? ":" + uri.getPort() : "";
        return uri.getScheme() + "://" + host + port + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    /** An authority the URI parser could not split (e.g. an underscore in the host): drop anything before '@'. */
    private static String hostOf(String authority) {
        if (authority == null) {
            return "";
        }
        int at = authority.lastIndexOf('@');
        return at < 0 ? authority : authority.substring(at + 1);
    }

    /** {@code uri} with query parameter {@code name} set to {@code value}, replacing any earlier value. */
    public static URI withQueryParam(URI uri, String name, String value) {
        List<String> parts = new ArrayList<>();
        String query = uri.getRawQuery();
        if (query != null && !query.isEmpty()) {
            for (String part : query.split("&")) {
                if (!part.equals(name) && !part.startsWith(name + "=")) {
                    parts.add(part);
                }
            }
        }
        parts.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        String base = uri.toString();
        int cut = base.indexOf('?');
        if (cut < 0) {
            cut = base.indexOf('#');
        }
        String fragment = uri.getRawFragment() == null ? "" : "#" + uri.getRawFragment();
        return URI.create((cut < 0 ? base : base.substring(0, cut)) + "?" + String.join("&", parts) + fragment);
    }

    /** {@code uri} without query parameter {@code name}. */
    public static URI withoutQueryParam(URI uri, String name) {
        String query = uri.getRawQuery();
        if (query == null) {
            return uri;
        }
        List<String> kept = new ArrayList<>();
        for (String part : query.split("&")) {
            if (!part.equals(name) && !part.startsWith(name + "=")) {
                kept.add(part);
            }
        }
        String base = uri.toString();
        String fragment = uri.getRawFragment() == null ? "" : "#" + uri.getRawFragment();
        return URI.create(base.substring(0, base.indexOf('?')) + (kept.isEmpty() ? "" : "?" + String.join("&", kept)) + fragment);
    }

    /** The raw value of query parameter {@code name}, if present. */
    public static Optional<String> queryParam(URI uri, String name) {
        String query = uri.getRawQuery();
        if (query == null) {
            return Optional.empty();
        }
        for (String part : query.split("&")) {
            if (part.startsWith(name + "=")) {
                return Optional.of(java.net.URLDecoder.decode(part.substring(name.length() + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }
}
