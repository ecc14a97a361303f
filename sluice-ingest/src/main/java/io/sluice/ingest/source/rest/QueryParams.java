package io.sluice.ingest.source.rest;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Sets one query parameter on a URL, replacing any earlier value and keeping the other parameters as written. */
final class QueryParams {
    private QueryParams() {
    }

    static URI with(URI base, String name, String value) {
        List<String> kept = new ArrayList<>();
        String query = base.getRawQuery();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                String pairName = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
                if (!pairName.equals(name) && !pair.isEmpty()) {
                    kept.add(pair);
                }
            }
        }
        kept.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        String s = base.toString();
        int cut = s.indexOf('?') >= 0 ? s.indexOf('?') : s.indexOf('#') >= 0 ? s.indexOf('#') : s.length();
        return URI.create(s.substring(0, cut) + "?" + String.join("&", kept));
    }
}
