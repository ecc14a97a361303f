package io.sluice.demoapi;

import java.util.ArrayList;
import java.util.List;

/** Parses {@link DemoApiServer#main} arguments; kept tiny so the module needs no CLI library. */
final class CommandLine {

    static final String USAGE = """
            usage: sluice-demo-api [--port 8089] [--grpc-port 8090] [--grpc-reflection true] [--host 127.0.0.1]
                                   [--seed 42] [--rate 10] [--total N] [--fail SPEC]
              --port   port to listen on, 0 = any free port
              --grpc-port        port of the gRPC endpoint (sluice.demo.v1.Users/StreamUsers), 0 = any free port
              --grpc-reflection  answer gRPC server reflection: true or false
              --seed   seed for requests that name none (any string)
              --rate   stream events per second, 0 = unthrottled
              --total  end the sequence after N users (default: endless)
              --fail   inject faults, e.g. 429:0.1:2,503:0.05,slow:0.2:1500,drop:0.01,malformed:0.05""";

    private CommandLine() {
    }

    /** @return the configured server, or null when help was asked for */
    static DemoApiServer parse(String[] args) {
        DemoApiServer server = new DemoApiServer();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                return null;
            }
            if (i + 1 >= args.length) {
                problems.add(option + " needs a value");
                break;
            }
            String value = args[++i];
            try {
                switch (option) {
                    case "--port" -> server.withPort(Integer.parseInt(value));
                    case "--host" -> server.withHost(value);
                    case "--grpc-port" -> server.withGrpcPort(Integer.parseInt(value));
                    case "--grpc-reflection" -> server.withGrpcReflection(parseBoolean(value));
                    case "--seed" -> server.withSeed(value);
                    case "--rate" -> server.withRate(Double.parseDouble(value));
                    case "--total" -> server.withTotal(Long.parseLong(value));
                    case "--fail" -> server.withFaults(value);
                    default -> problems.add("unknown option " + option);
                }
            } catch (NumberFormatException e) {
                problems.add(option + " must be a number, got '" + value + "'");
            } catch (IllegalArgumentException e) {
                problems.add(option + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return server;
    }

    private static boolean parseBoolean(String value) {
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException("must be true or false, got '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }
}
