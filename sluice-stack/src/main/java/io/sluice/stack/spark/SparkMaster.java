package io.sluice.stack.spark;

import java.time.Duration;

/**
 * A Spark standalone master ({@code org.apache.spark.deploy.master.Master}) on 127.0.0.1, in
 * {@code <dataDir>/spark-master/}. Ready when its web UI reports {@code "status" : "ALIVE"}.
 */
public final class SparkMaster extends SparkDaemon<SparkMaster> {
    public static final int DEFAULT_PORT = 7077;
    public static final int DEFAULT_WEB_UI_PORT = 8080;
    static final String MAIN_CLASS = "org.apache.spark.deploy.master.Master";

    public SparkMaster() {
        super("spark-master", "master", DEFAULT_PORT, DEFAULT_WEB_UI_PORT);
    }

    /** {@code spark://127.0.0.1:<port>}, for {@code --master} or {@code stream.master}. */
    public String masterUrl() {
        return address();
    }

    /** Workers registered and alive, from the master's own state; 0 when it does not answer. */
    public int aliveWorkers() {
        return SparkWebUi.state(webUiPort(), Duration.ofSeconds(3))
                .flatMap(json -> SparkWebUi.number(json, "aliveworkers")).map(Long::intValue).orElse(0);
    }

    @Override
    String addressFor(String port) {
        return "spark://" + HOST + ":" + port;
    }

    @Override
    String configComment() {
        return "the ports this master was started with.";
    }

    @Override
    protected String mainClass() {
        return MAIN_CLASS;
    }

    @Override
    protected boolean probe(Duration timeout) {
        return SparkWebUi.state(webUiPort(), timeout).flatMap(json -> SparkWebUi.field(json, "status"))
                .map("ALIVE"::equals).orElse(false);
    }

    @Override
    protected String readinessQuery() {
        return "GET " + webUiUrl() + "json/ (status ALIVE)";
    }
}
