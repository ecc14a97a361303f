package io.sluice.stack.spark;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Spark standalone worker ({@code org.apache.spark.deploy.worker.Worker}) on 127.0.0.1, in
 * {@code <dataDir>/spark-worker-<n>/}, with its executors' work dirs in {@code work/} there. It offers
 * {@link #withCores cores} and {@link #withMemory memory} to applications and starts their executors from the shared
 * {@link SparkHome}. Ready when its own web UI names the master it registered with.
 */
public final class SparkWorker extends SparkDaemon<SparkWorker> {
    static final String MAIN_CLASS = "org.apache.spark.deploy.worker.Worker";

    private final int number;
    private String masterUrl = "spark://127.0.0.1:" + SparkMaster.DEFAULT_PORT;
    private int cores = 1;
    private String memory = "1g";

    /** Worker {@code number} (1, 2, ...): default port {@code 7077 + n}, web UI {@code 8080 + n}. */
    public SparkWorker(int number) {
        super("spark-worker-" + requireWorkerNumber(number), "worker", SparkMaster.DEFAULT_PORT + number,
                SparkMaster.DEFAULT_WEB_UI_PORT + number);
        this.number = number;
    }

    private static int requireWorkerNumber(int number) {
        if (number < 1) {
            throw new IllegalArgumentException("worker numbers start at 1, got " + number);
        }
        return number;
    }

    public SparkWorker withMasterUrl(String masterUrl) {
        this.masterUrl = masterUrl;
        return this;
    }

    /** Cores this worker offers to executors ({@code --cores}). */
    public SparkWorker withCores(int cores) {
        if (cores < 1) {
            throw new IllegalArgumentException("a worker offers at least 1 core, got " + cores);
        }
        this.cores = cores;
        return this;
    }

    /** Memory this worker offers to executors ({@code --memory}, e.g. {@code 1g}); its own heap is {@link #withHeap}. */
    public SparkWorker withMemory(String memory) {
        if (memory == null || !memory.matches("\\d+[mMgG]")) {
            throw new IllegalArgumentException("worker memory must look like 1g or 768m, got " + memory);
        }
        this.memory = memory;
        return this;
    }

    public int number() {
        return number;
    }

    public int cores() {
        return cores;
    }

    public String memory() {
        return memory;
    }

    /** Where executors run: {@code <worker dir>/work/<app>/<executor>/} with their stdout and stderr. */
    public Path workDirectory() {
        return directory().resolve("work");
    }

    @Override
    String addressFor(String port) {
        return HOST + ":" + port;
    }

    @Override
    String configComment() {
        return "how this worker was started.";
    }

    @Override
    Map<String, String> moreConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("master", masterUrl);
        config.put("cores", Integer.toString(cores));
        config.put("memory", memory);
        return config;
    }

    @Override
    protected void prepare(String classpath) {
        createDirectories(workDirectory());
        super.prepare(classpath);
    }

    @Override
    protected String mainClass() {
        return MAIN_CLASS;
    }

    @Override
    List<String> daemonArgs() {
        return List.of("--cores", Integer.toString(cores), "--memory", memory, "--work-dir", workDirectory().toString(),
                masterUrl);
    }

    /** The worker's UI names its master only after the master accepted its registration. */
    @Override
    protected boolean probe(Duration timeout) {
        int uiPort = readProperties(configFile())
                .map(p -> Integer.parseInt(p.getProperty("webUiPort", Integer.toString(webUiPort())))).orElse(webUiPort());
        return SparkWebUi.state(uiPort, timeout).flatMap(json -> SparkWebUi.field(json, "masterurl"))
                .map(url -> url.startsWith("spark://")).orElse(false);
    }

    @Override
    protected String readinessQuery() {
        return "GET " + webUiUrl() + "json/ (registered with " + masterUrl + ")";
    }
}
