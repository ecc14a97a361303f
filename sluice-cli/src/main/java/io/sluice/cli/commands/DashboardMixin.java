package io.sluice.cli.commands;

import io.sluice.dashboard.DashboardOptions;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The dashboard options of {@code run} and {@code demo}. */
public final class DashboardMixin {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--dashboard-port", defaultValue = "0", description = "Port of the live dashboard and /metrics"
            + " (default: a free port, printed at start).")
    int port;

    @Option(names = "--dashboard-host", defaultValue = DashboardOptions.LOOPBACK, description = "Address the dashboard"
            + " binds (default: ${DEFAULT-VALUE}). Any other address needs --dashboard-token.")
    String host;

    @Option(names = "--dashboard-token", description = "Secret every dashboard request must carry (?token= or"
            + " Authorization: Bearer); required with a non-loopback --dashboard-host.")
    String token;

    @Option(names = "--no-dashboard", description = "Serve neither the dashboard nor /metrics.")
    boolean disabled;

    /** Empty with --no-dashboard; a bad combination is a usage error naming the flags. */
    Optional<DashboardOptions> options() {
        if (disabled) {
            return Optional.empty();
        }
        try {
            return Optional.of(new DashboardOptions(host, port, token));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
