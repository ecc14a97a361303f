package io.sluice.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DashboardBindTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aNonLoopbackBindWithoutATokenIsRefusedNamingTheFlags() {
        assertThatThrownBy(() -> new DashboardOptions("0.0.0.0", 0, null))
                .as("binding every interface without a token is refused")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--dashboard-host 0.0.0.0").hasMessageContaining("--dashboard-token");
        assertThatThrownBy(() -> new DashboardOptions("192.168.1.20", 8080, "  "))
                .as("a blank token is no token").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DashboardOptions("dashboard.example", 8080, null))
                .as("a host name other than localhost counts as not loopback").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void loopbackNeedsNoTokenAndAnyOtherAddressTakesOneWithAToken() {
        assertThat(DashboardOptions.loopback(0).tokenRequired()).as("loopback needs no token").isFalse();
        assertThat(new DashboardOptions("::1", 0, null).host()).as("IPv6 loopback is loopback").isEqualTo("::1");
        assertThat(new DashboardOptions("0.0.0.0", 0, "s3cret").tokenRequired()).as("any address with a token").isTrue();
    }

    @Test
    void withATokenEveryRouteRefusesARequestWithoutIt() throws Exception {
        try (DashboardServer server = new DashboardServer(new DashboardOptions("127.0.0.1", 0, "s3cret"), () -> "x 1\n").start()) {
            String base = "http://127.0.0.1:" + server.port();
            for (String path : List.of("/", "/metrics", "/api/flow", "/app.js")) {
                assertThat(get(base + path, Map.of()).statusCode()).as("status of %s without the token", path).isEqualTo(401);
            }
            assertThat(get(base + "/metrics?token=s3cret", Map.of()).body()).as("scrape with the token in the query").isEqualTo("x 1\n");
            assertThat(get(base + "/metrics", Map.of("Authorization", "Bearer s3cret")).statusCode())
                    .as("status of a scrape with the token as a bearer header").isEqualTo(200);
            assertThat(server.url()).as("the printed address carries the token").endsWith("/?token=s3cret");
        }
    }

    @Test
    void theLoopbackDashboardServesThePageTheBundledChartLibraryAndTheScrape() throws Exception {
        try (DashboardServer server = new DashboardServer(DashboardOptions.loopback(0), () -> "sluice_source_records_total 7.0\n").start()) {
            String base = "http://127.0.0.1:" + server.port();
            assertThat(server.url()).as("the address printed at start").isEqualTo(base + "/");
            HttpResponse<String> page = get(base + "/", Map.of());
            assertThat(page.body()).as("the page loads uPlot from this server only")
                    .contains("src=\"vendor/uplot/uPlot.iife.min.js\"").doesNotContain("http://").doesNotContain("https://");
            assertThat(get(base + "/vendor/uplot/uPlot.iife.min.js", Map.of()).body())
                    .as("uPlot is bundled into the jar").contains("uPlot");
            assertThat(get(base + "/metrics", Map.of()).body()).as("the scrape").contains("sluice_source_records_total 7.0");
        }
    }

    private HttpResponse<String> get(String url, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
