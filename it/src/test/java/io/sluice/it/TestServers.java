package io.sluice.it;

import io.sluice.demoapi.DemoApiServer;
import io.sluice.stack.LocalStack;
import io.sluice.stack.Ports;
import java.nio.file.Path;

/** The servers one end-to-end test class shares: Kafka and Cassandra on free loopback ports, and the demo API. */
final class TestServers {
    private TestServers() {
    }

    static LocalStack startStack(Path dataDir) {
        return new LocalStack().withDataDir(dataDir)
                .withKafkaPort(Ports.findFree()).withKafkaControllerPort(Ports.findFree())
                .withCassandraPort(Ports.findFree()).withCassandraStoragePort(Ports.findFree())
                .start();
    }

    /** Stops what was started; either may be null when a start failed. */
    static void stop(DemoApiServer api, LocalStack stack) {
        if (api != null) {
            api.close();
        }
        if (stack != null) {
            stack.stop();
        }
    }
}
