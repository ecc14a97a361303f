package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.demoapi.DemoApiServer;
import io.sluice.stack.LocalStack;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The dashboard and {@code /metrics} of a real `sluice run` (its own JVM, with the stream job's JVM under it) on real
 * Kafka, Cassandra and Spark, fed by the demo API: one run shared by both tests. The browser is Debian's chromium,
 * driven through Debian's chromedriver; every URL it requests is recorded from its network log.
 */
class DashboardIT {
    static final Path HOME = Path.of(System.getProperty("sluice.home", "..")).toAbsolutePath().normalize();
    static final Path DEMO_PIPELINE = HOME.resolve("pipelines/demo-users.yaml");
    /** Output, screenshot and data dir, kept after the test. */
    static final Path dir = Path.of("target", "dashboard-it").toAbsolutePath();
    static final Duration PATIENCE = Duration.ofMinutes(2);

    @TempDir
    static Path stackDir;
    static LocalStack stack;
    static DemoApiServer api;
    static Process run;
    static String dashboard;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startARun() throws Exception {
        Files.createDirectories(dir);
        stack = TestServers.startStack(stackDir);
        api = new DemoApiServer().withPort(0).withSeed(13).start();
        Map<String, String> sets = new LinkedHashMap<>();
        sets.put("pipeline.name", "dashboard_it");
        sets.put("source.url", api.baseUrl() + "/api/?results=50");
        sets.put("kafka.bootstrap_servers", stack.bootstrapServers());
        sets.put("kafka.topic", "dashboard_it");
        sets.put("cassandra.contact_points", "127.0.0.1:" + stack.contactPoint().getPort());
        sets.put("sink.keyspace", "it_dashboard");
        sets.put("sink.table", "users");
        sets.put("producer.records_per_second", "150");
        sets.put("stream.trigger_interval", "1s");
        sets.put("stream.max_offsets_per_trigger", "300");
        sets.put("stream.master", "local[2]");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-Dsluice.home=" + HOME, "-cp", System.getProperty("java.class.path"),
                "io.sluice.cli.SluiceCli", "run", DEMO_PIPELINE.toString(), "--data-dir", dir.resolve("data").toString(),
                "--progress-every", "2s"));
        sets.forEach((k, v) -> cmd.addAll(List.of("--set", k + "=" + v)));
        run = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("run.out").toFile()).start();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        Pattern url = Pattern.compile("Dashboard: (http://127\\.0\\.0\\.1:\\d+/)");
        while (dashboard == null) {
            Matcher m = url.matcher(output());
            if (m.find()) {
                dashboard = m.group(1);
            }
            assertThat(run.isAlive()).as("sluice run is running; its output:%n%s", output()).isTrue();
            assertThat(System.nanoTime()).as("sluice run printed its dashboard address within %s", PATIENCE).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stopTheRun() throws Exception {
        if (run != null) {
            run.destroy();
            if (!run.waitFor(2, TimeUnit.MINUTES)) {
                run.descendants().forEach(ProcessHandle::destroyForcibly);
                run.destroyForcibly();
            }
        }
        TestServers.stop(api, stack);
    }

    @Test
    void theScrapeHasEveryMeterWithNonZeroValuesWhereTheRunMadeSome() throws Exception {
        String text = awaitScrape(t -> value(t, "sluice_writer_rows_total") > 0 && value(t, "sluice_writer_latency_seconds",
                "quantile=\"0.99\"") > 0 && value(t, "sluice_stream_batch_records_count") > 1);
        Files.writeString(dir.resolve("metrics.txt"), text);
        for (String nonZero : List.of("sluice_source_records_total", "sluice_source_position_commits_total",
                "sluice_queue_capacity_records", "sluice_throttle_limit_per_second", "sluice_throttle_wait_seconds_total",
                "sluice_producer_sent_records_total", "sluice_producer_acked_records_total",
                "sluice_producer_latency_seconds_count", "sluice_kafka_records_total",
                "sluice_kafka_end_offset_records", "sluice_stream_records_total",
                "sluice_stream_batch_records_count", "sluice_stream_batch_duration_seconds_count",
                "sluice_stream_trigger_delay_seconds_count", "sluice_stream_batch_cap_records",
                "sluice_stream_trigger_interval_seconds", "sluice_dq_passed_records_total", "sluice_writer_rows_total",
                "sluice_writer_requests_total", "sluice_writer_rate_rows_per_second", "sluice_writer_limit_rows_per_second",
                "sluice_writer_inflight_requests", "sluice_writer_latency_seconds")) {
            assertThat(value(text, nonZero)).as("%s in the scrape, after rows were written", nonZero).isPositive();
        }
        for (String present : List.of("sluice_source_position", "sluice_source_poll_errors_calls_total",
                "sluice_source_reconnects_total", "sluice_queue_depth_records", "sluice_queue_dropped_records_total",
                "sluice_producer_errors_records_total", "sluice_producer_dead_lettered_records_total", "sluice_kafka_lag_records",
                "sluice_kafka_lag_total_records", "sluice_stream_batch_fill_ratio", "sluice_dq_quarantined_total_records_total",
                "sluice_dq_warned_records_total", "sluice_dq_rule_failures_records_total", "sluice_writer_timeouts_requests_total",
                "sluice_writer_retries_requests_total")) {
            assertThat(text).as("the scrape names %s", present).containsPattern("(?m)^" + present + "[ {]");
        }
    }

    @Test
    void theBrowserSeesEveryStageFlowAndRowsRiseAndRequestsNothingOutsideLoopback() throws Exception {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium")
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--disable-dev-shm-usage", "--window-size=1400,1000",
                        "--user-data-dir=" + Files.createTempDirectory(dir, "chromium-profile"));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriver browser = new ChromeDriver(service, options);
        Set<String> requested = new TreeSet<>();
        try {
            browser.get(dashboard);
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            List<String> stages = List.of("source", "queue", "kafka", "spark", "dq", "cassandra");
            while (!stages.stream().allMatch(s -> rateShown(browser, s) > 0)) {
                assertThat(System.nanoTime()).as("every stage showed a non-zero rate within %s; rates now: %s", PATIENCE,
                        stages.stream().map(s -> s + "=" + rateShown(browser, s)).toList()).isLessThan(deadline);
                Thread.sleep(500);
            }
            long rowsBefore = rowsShown(browser);
            while (rowsShown(browser) <= rowsBefore) {
                assertThat(System.nanoTime()).as("the rows-written figure rose past %d within %s", rowsBefore, PATIENCE)
                        .isLessThan(deadline);
                Thread.sleep(500);
            }
            assertThat(browser.findElement(By.id("bottleneck-stage")).getText()).as("the page names a stage holding the flow back")
                    .isNotIn("", "—");
            Thread.sleep(3000); // a few more points on the charts for the screenshot
            Path png = dir.resolve("dashboard.png");
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), png, StandardCopyOption.REPLACE_EXISTING);
            assertThat(Files.size(png)).as("size of the screenshot kept as a test artifact").isGreaterThan(10_000);

            ObjectMapper json = new ObjectMapper();
            for (LogEntry entry : browser.manage().logs().get(LogType.PERFORMANCE)) {
                JsonNode message = json.readTree(entry.getMessage()).path("message");
                if (message.path("method").asText().equals("Network.requestWillBeSent")) {
                    requested.add(message.path("params").path("request").path("url").asText());
                }
            }
            @SuppressWarnings("unchecked")
            List<String> resources = (List<String>) browser.executeScript(
                    "return performance.getEntriesByType('resource').map(function (e) { return e.name; });");
            requested.addAll(resources);
        } finally {
            browser.quit();
            service.stop();
        }
        Files.writeString(dir.resolve("requests.txt"), String.join("\n", requested));
        assertThat(requested).as("the page's requests (network log)").anyMatch(u -> u.endsWith("/vendor/uplot/uPlot.iife.min.js"))
                .anyMatch(u -> u.contains("/events"));
        // chrome:// and data: never leave the browser (its own new-tab page logs chrome:// loads before ours opens);
        // every other URL goes over the network and must be ours.
        List<String> network = requested.stream().filter(u -> !u.startsWith("chrome://") && !u.startsWith("data:")).toList();
        assertThat(network).as("URLs the browser fetched over the network").isNotEmpty()
                .allMatch(u -> "127.0.0.1".equals(URI.create(u).getHost()), "is on 127.0.0.1");
    }

    private static double rateShown(ChromeDriver browser, String stage) {
        String rate = browser.findElement(By.id("stage-" + stage)).getDomAttribute("data-rate");
        return rate == null || rate.isEmpty() ? 0 : Double.parseDouble(rate);
    }

    private static long rowsShown(ChromeDriver browser) {
        return Long.parseLong(browser.findElement(By.id("rows-written")).getText().replace(",", "").strip());
    }

    private String awaitScrape(java.util.function.Predicate<String> ready) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(dashboard + "metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("status of GET /metrics").isEqualTo(200);
            if (ready.test(response.body())) {
                return response.body();
            }
            assertThat(System.nanoTime()).as("rows were written and timed within %s; scrape:%n%s", PATIENCE, response.body())
                    .isLessThan(deadline);
            Thread.sleep(1000);
        }
    }

    /** The largest sample of a metric in Prometheus text (any labels containing {@code labelPart}); 0 when absent. */
    static double value(String text, String name, String... labelPart) {
        double max = 0;
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$").matcher(text);
        while (m.find()) {
            String labels = m.group(1) == null ? "" : m.group(1);
            if (labelPart.length == 0 || labels.contains(labelPart[0])) {
                max = Math.max(max, Double.parseDouble(m.group(2)));
            }
        }
        return max;
    }

    private static String output() throws IOException {
        return Files.readString(dir.resolve("run.out"), StandardCharsets.UTF_8);
    }
}
