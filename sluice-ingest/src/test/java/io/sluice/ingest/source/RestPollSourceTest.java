package io.sluice.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.sluice.config.PipelineConfig;
import io.sluice.ingest.TestConfigs;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Lifecycle of the REST source against a local JDK HTTP server. */
class RestPollSourceTest {
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch requested = new CountDownLatch(1);
    private final List<String> malformed = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @AfterEach
    void stopServer() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    private PipelineConfig configFor(String body, boolean hang) throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/", exchange -> {
            requested.countDown();
            if (hang) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] bytes = body.getBytes();
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return TestConfigs.config(Map.of("source.url", "http://127.0.0.1:" + server.getAddress().getPort() + "/api/?key=SECRET",
                "source.timeout", "60s", "source.interval", "10ms"));
    }

    private SourceContext context(PipelineConfig config) {
        return new SourceContext() {
            @Override
            public PipelineConfig config() {
                return config;
            }

            @Override
            public void reportMalformed(String reason) {
                malformed.add(reason);
            }

            @Override
            public void reportPollError(String reason) {
            }
        };
    }

    @Test
    void pollReturnsTheKeyedRecordsAndReportsMalformedOnesWithoutTheQueryString() throws Exception {
        RestPollSource source = new RestPollSource();
        source.start(context(configFor("{\"results\": [{\"login\": {\"uuid\": \"u-1\"}}, {\"login\": {}}]}", false)));
        try {
            List<SourceRecord> records = List.of();
            for (int i = 0; i < 100 && records.isEmpty(); i++) {
                records = source.poll(Duration.ofSeconds(1));
            }
            assertThat(records).extracting(SourceRecord::key).containsExactly("u-1");
            assertThat(records.get(0).position().value()).isEqualTo("poll-1#0");
            assertThat(malformed).singleElement().asString().contains("element 1", "/api/").doesNotContain("SECRET");
        } finally {
            source.stop();
        }
    }

    @Test
    void stopFromAnotherThreadUnblocksAPollWaitingOnASlowApi() throws Exception {
        RestPollSource source = new RestPollSource();
        source.start(context(configFor("{\"results\": []}", true)));
        CompletableFuture<List<SourceRecord>> poll = CompletableFuture.supplyAsync(() -> {
            try {
                List<SourceRecord> result = List.of();
                // The first poll may return before the request is sent; keep polling as the framework does.
                while (result.isEmpty() && !Thread.currentThread().isInterrupted()) {
                    result = source.poll(Duration.ofMinutes(5));
                    if (requested.getCount() == 0) {
                        return result;
                    }
                }
                return result;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(requested.await(30, TimeUnit.SECONDS)).as("the source called the API").isTrue();

        source.stop();

        assertThat(poll.get(30, TimeUnit.SECONDS)).as("a poll cut short by stop returns no records").isEmpty();
    }
}
