package io.sluice.cli.commands;

import com.datastax.oss.driver.api.core.cql.ColumnDefinition;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import io.sluice.cli.cassandra.CassandraClient;
import io.sluice.config.CassandraConnection;
import io.sluice.config.PipelineConfig;
import io.sluice.stack.StackSecurity;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "cql", mixinStandardHelpOptions = true,
        description = {"Run one CQL statement against Cassandra and print the result (a small cqlsh; none ships with Java).",
                "Example: ./sluice cql \"SELECT count(*) FROM spark_streams.created_users\""})
public final class CqlCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "STATEMENT", description = "The CQL statement.")
    String statement;

    @Option(names = "--contact-points", defaultValue = "127.0.0.1:9042", description = "Cassandra host:port list (default: ${DEFAULT-VALUE}).")
    String contactPoints;

    @Option(names = "--local-dc", defaultValue = "datacenter1", description = "Local datacenter (default: ${DEFAULT-VALUE}).")
    String localDc;

    @Option(names = "--pipeline", description = "Connect as this pipeline file does (contact points, user, password, TLS).")
    java.nio.file.Path pipeline;

    @Option(names = "--data-dir", defaultValue = ".sluice",
            description = "When this data dir holds a secured stack (`sluice up --secure`), use its credentials (default: ${DEFAULT-VALUE}).")
    java.nio.file.Path dataDir;

    @Option(names = "--max-rows", defaultValue = "100", description = "Most rows to print (default: ${DEFAULT-VALUE}).")
    int maxRows;

    /** A pipeline's settings, else the secured local stack's, else plain contact points. */
    private CassandraConnection connection() {
        if (pipeline != null) {
            return PipelineConfig.load(pipeline, java.util.Map.of()).cassandraConnection();
        }
        if (StackSecurity.isSecured(dataDir)) {
            java.util.Map<String, String> keys = new java.util.LinkedHashMap<>(new StackSecurity(dataDir).pipelineOverrides());
            keys.keySet().removeIf(k -> !k.startsWith("cassandra."));
            keys.put("cassandra.contact_points", contactPoints);
            keys.put("cassandra.local_dc", localDc);
            return PipelineConfig.from(minimalPipeline(), keys, "the secured stack in " + dataDir).cassandraConnection();
        }
        return CassandraConnection.plain(contactPoints, localDc);
    }

    /** The keys every pipeline needs, so the secured stack's Cassandra keys can be read through the one parser. */
    private static java.util.Map<String, Object> minimalPipeline() {
        return java.util.Map.of("pipeline.name", "cql", "source.url", "http://127.0.0.1/", "record.schema", "x STRING",
                "sink.columns", java.util.Map.of("x", "x"));
    }

    @Override
    public Integer call() {
        try (CassandraClient client = new CassandraClient(connection())) {
            ResultSet rs = client.execute(statement);
            List<String> names = new ArrayList<>();
            for (ColumnDefinition column : rs.getColumnDefinitions()) {
                names.add(column.getName().asCql(true));
            }
            if (names.isEmpty()) {
                System.out.println("OK");
                return 0;
            }
            System.out.println(String.join(" | ", names));
            int printed = 0;
            for (Row row : rs) {
                if (printed++ == maxRows) {
                    System.out.println("... (more rows; raise --max-rows)");
                    break;
                }
                List<String> cells = new ArrayList<>();
                for (int i = 0; i < names.size(); i++) {
                    Object v = row.getObject(i);
                    cells.add(String.valueOf(v));
                }
                System.out.println(String.join(" | ", cells));
            }
            System.out.printf("(%d row%s)%n", Math.min(printed, maxRows), printed == 1 ? "" : "s");
        }
        return 0;
    }
}
