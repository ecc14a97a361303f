package io.sluice.servers.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FlinkDrainJobTest {

    @Test
    void insertNamesEveryColumnAndKeepsThePipelinesTtl() {
        assertThat(FlinkDrainJob.insert(Map.of("keyspace", "ks", "table", "t", "ttl", "604800")))
                .isEqualTo("INSERT INTO ks.t (id, first_name, last_name, gender, address, post_code, email, username, "
                        + "dob, registered_date, phone, picture) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        + "USING TTL 604800;");
        assertThat(FlinkDrainJob.insert(Map.of("keyspace", "ks", "table", "t", "ttl", "0")))
                .as("no TTL clause when the pipeline has none").doesNotContain("TTL");
    }

    @Test
    void aMissingArgumentIsNamed() {
        assertThatThrownBy(() -> FlinkDrainJob.options(new String[] {"bootstrap=127.0.0.1:9092"}))
                .hasMessageContaining("missing argument topic=");
        assertThatThrownBy(() -> FlinkDrainJob.options(new String[] {"topic"}))
                .hasMessageContaining("arguments are key=value, got 'topic'");
    }
}
