package io.sluice.stream;

import org.apache.spark.sql.SparkSession;

/** One small local SparkSession shared by the unit tests of this module (starting one costs seconds). */
final class LocalSpark {
    private static SparkSession session;

    private LocalSpark() {
    }

    static synchronized SparkSession get() {
        if (session == null) {
            session = SparkSession.builder()
                    .master("local[1]")
                    .appName("sluice-stream-test")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "1")
                    .getOrCreate();
        }
        return session;
    }
}
