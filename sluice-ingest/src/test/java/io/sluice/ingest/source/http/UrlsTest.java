package io.sluice.ingest.source.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class UrlsTest {
    @Test
    void resumeParameterIsAddedOrReplaced() {
        assertThat(Urls.withQueryParam(URI.create("ws://h:1/stream/ws"), "from", "5"))
                .hasToString("ws://h:1/stream/ws?from=5");
        assertThat(Urls.withQueryParam(URI.create("ws://h:1/s?rate=0&from=2&fail=drop:0.01"), "from", "17"))
                .hasToString("ws://h:1/s?rate=0&fail=drop:0.01&from=17");
        assertThat(Urls.withQueryParam(URI.create("ws://h:1/s?fromage=1"), "from", "3"))
                .as("a parameter that merely starts with the name is kept").hasToString("ws://h:1/s?fromage=1&from=3");
    }

    @Test
    void queryParamIsEncodedAndTheOthersAreKeptAsWritten() {
        assertThat(Urls.withQueryParam(URI.create("http://h/api/?results=5&cursor=old"), "cursor", "a b&c"))
                .hasToString("http://h/api/?results=5&cursor=a+b%26c");
        assertThat(Urls.withQueryParam(URI.create("http://h/api/"), "cursor", "x")).hasToString("http://h/api/?cursor=x");
    }

    @Test
    void queryParamIsRead() {
        assertThat(Urls.queryParam(URI.create("ws://h/s?a=1&from=42"), "from")).contains("42");
        assertThat(Urls.queryParam(URI.create("ws://h/s"), "from")).isEmpty();
    }

    @Test
    void logsNeverShowTheQuery() {
        assertThat(Urls.withoutQuery(URI.create("https://api.example.org:8443/v1/stream?key=SECRET")))
                .isEqualTo("https://api.example.org:8443/v1/stream");
    }

    @Test
    void userInfoNeverShows() {
        assertThat(Urls.withoutQuery(URI.create("https://alice:s3cret@api.example.org:8443/v1?token=T")))
                .isEqualTo("https://api.example.org:8443/v1");
        assertThat(Urls.withoutQuery(URI.create("wss://bob:pw@feed_host.internal/ws")))
                .as("a host the URI parser cannot split still loses its user info").isEqualTo("wss://feed_host.internal/ws");
    }
}
