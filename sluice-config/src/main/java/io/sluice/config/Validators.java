package io.sluice.config;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The validators pipeline keys are declared with. Each message completes the sentence "`key` ...". */
public final class Validators {
    private static final Pattern CQL_IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]{0,47}");
    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9._\\-]+:\\d{1,5}");

    private Validators() {
    }

    public static Validator atLeast(double min) {
        return v -> ((Number) v).doubleValue() >= min ? null : "must be ≥ " + trim(min);
    }

    public static Validator between(double min, double max) {
        return v -> {
            double d = ((Number) v).doubleValue();
            return d >= min && d <= max ? null : "must be between " + trim(min) + " and " + trim(max);
        };
    }

    public static Validator durationAtLeast(Duration min) {
        return v -> ((Duration) v).compareTo(min) >= 0 ? null : "must be at least " + Durations.format(min);
    }

    public static Validator oneOf(String... allowed) {
        List<String> options = Arrays.asList(allowed);
        return v -> options.contains(v) ? null : "must be one of " + String.join(", ", options);
    }

    /**
     * A directory path on this machine (possibly a mount), not a URI: {@code hdfs://nn/x} would otherwise become the
     * relative directory {@code hdfs:/nn/x} under the data dir, and nothing would say so.
     */
    public static Validator directoryPath() {
        return v -> {
            String path = String.valueOf(v);
            if (path.isBlank()) {
                return "must not be empty";
            }
            return java.util.regex.Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:").matcher(path).find()
                    ? "must be a directory path, not a URI: the stream job reads and guards its checkpoint through the "
                    + "file system of the driver's machine. For HDFS, S3 or another store, mount it (NFS, a FUSE "
                    + "mount, a Kubernetes volume) at the same path wherever the driver may run; see docs/clusters.md"
                    : null;
        };
    }

    public static Validator notBlank() {
        return v -> String.valueOf(v).isBlank() ? "must not be empty" : null;
    }

    public static Validator cqlIdentifier() {
        return v -> CQL_IDENTIFIER.matcher(String.valueOf(v)).matches()
                ? null : "must be a lower-case CQL name (letters, digits, underscore; starts with a letter; at most 48 chars)";
    }

    /** Comma-separated host:port list, e.g. {@code 127.0.0.1:9092,broker2:9092}. */
    public static Validator hostPorts() {
        return v -> {
            for (String part : String.valueOf(v).split(",")) {
                String p = part.trim();
                if (!HOST_PORT.matcher(p).matches() || Integer.parseInt(p.substring(p.lastIndexOf(':') + 1)) > 65535) {
                    return "must be a comma-separated list of host:port such as 127.0.0.1:9092";
                }
            }
            return null;
        };
    }

    public static Validator url() {
        return v -> {
            try {
                URI uri = new URI(String.valueOf(v));
                String scheme = uri.getScheme();
                if (scheme == null || uri.getHost() == null) {
                    return "must be an absolute URL such as http://127.0.0.1:8088/api/";
                }
                return List.of("http", "https", "ws", "wss", "tcp", "mqtt", "ssl", "grpc", "grpcs")
                        .contains(scheme.toLowerCase()) ? null : "must use http, https, ws, wss, tcp, ssl, grpc or grpcs";
            } catch (Exception e) {
                return "must be an absolute URL such as http://127.0.0.1:8088/api/";
            }
        };
    }

    public static Validator nonEmptyMap() {
        return v -> ((Map<?, ?>) v).isEmpty() ? "must have at least one entry" : null;
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
