package io.sluice.stream;

import io.sluice.config.PipelineConfig;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the job's SparkSession. Under spark-submit the cluster decides master, addresses and UI; when Sluice runs
 * the job itself ("embedded") it is a small local process that must stay on 127.0.0.1 and keep quiet.
 */
public final class SparkSessions {
    private SparkSessions() {
    }

    /** spark-submit passes the master as a system property; its absence means Sluice launched this JVM. */
    public static boolean embedded() {
        return System.getProperty("spark.master") == null;
    }

    public static SparkSession create(PipelineConfig config) {
        SparkSession.Builder builder = SparkSession.builder()
                .appName("sluice-" + config.name())
                // Micro-batches are small; Spark's default of 200 shuffle partitions would mean 200 tiny tasks.
                .config("spark.sql.shuffle.partitions", Integer.toString(config.streamPartitions()));
        CassandraOptions.connection(config).forEach(builder::config);
        if (embedded()) {
            builder.master(config.streamMaster())
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.driver.host", "127.0.0.1");
        }
        config.streamSparkConf().forEach(builder::config); // the user's `stream.spark_conf.*` wins
        return builder.getOrCreate();
    }
}
