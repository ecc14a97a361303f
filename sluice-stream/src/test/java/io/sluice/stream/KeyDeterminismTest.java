package io.sluice.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyDeterminismTest {
    private final RecordParser parser = RecordParser.fromConfig(DemoPipeline.load());

    private SinkProjection bucketed(String expression) {
        return new SinkProjection("id", "login.uuid", Map.of("email", "email"), "bucket", expression, null, 0);
    }

    @Test
    void aBucketFromTheRecordIsAccepted() {
        bucketed("date_format(to_timestamp(registered.date), 'yyyy-MM-dd')")
                .validate(LocalSpark.get(), parser.schema(), "p.yaml");
    }

    @Test
    void clockFunctionsAreRefusedByNameEvenThoughSparkCallsThemDeterministic() {
        assertThatThrownBy(() -> bucketed("date_format(current_timestamp(), 'yyyy-MM-dd')")
                .validate(LocalSpark.get(), parser.schema(), "p.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("`sink.time_bucket.expression`")
                .hasMessageContaining("current_timestamp()")
                .hasMessageContaining("every replay would write a duplicate row");
    }

    @Test
    void randomFunctionsAreRefused() {
        for (String expression : new String[] {"uuid()", "cast(rand() * 10 as int)", "date_format(now(), 'yyyy')",
                "unix_timestamp()", "current_date"}) {
            assertThat(KeyDeterminism.volatileFunctions(expression)).as("volatile functions in %s", expression).isNotEmpty();
        }
        assertThat(KeyDeterminism.volatileFunctions("unix_timestamp(registered.date)"))
                .as("unix_timestamp of a record field reads the record, not the clock").isEmpty();
    }

    @Test
    void sparkNonDeterminismIsCaughtWithoutTheNameList() {
        // shuffle() is on the list too; this goes through Spark's own flag by hiding it from the name scan.
        String problem = KeyDeterminism.check(LocalSpark.get().createDataFrame(java.util.List.of(), parser.schema()),
                "`rand`(1)");
        assertThat(problem).as("Spark's deterministic flag catches rand even when the name scan is fooled").isNotNull();
    }

    @Test
    void ttlColumnMustBeNumeric() {
        SinkProjection ttl = new SinkProjection("id", "login.uuid", Map.of("email", "email"), null, null, "email", 0);
        assertThatThrownBy(() -> ttl.validate(LocalSpark.get(), parser.schema(), "p.yaml"))
                .hasMessageContaining("`sink.ttl_column` must give a number of seconds");
    }
}
