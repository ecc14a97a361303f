package io.sluice.cli.commands;

import io.sluice.config.SecretReferences;
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

    /** Read when {@code --dashboard-token} is not given, so the secret need not be on any command line. */
    static final String TOKEN_ENV = "SLUICE_DASHBOARD_TOKEN";

    @Option(names = "--dashboard-token", paramLabel = "<reference>", description = "Where the secret every dashboard"
            + " request must carry (?token= or Authorization: Bearer) is: '$${env:NAME}' or '$${file:/path}' (quoted, so"
            + " the shell leaves it alone). A literal secret is refused: it would show in ps. Default: the environment"
            + " variable " + TOKEN_ENV + ". Required with a non-loopback --dashboard-host.")
    String token;

    @Option(names = "--no-dashboard", description = "Serve neither the dashboard nor /metrics.")
    boolean disabled;

    /** Empty with --no-dashboard; a bad combination is a usage error naming the flags. */
    Optional<DashboardOptions> options() {
        if (disabled) {
            return Optional.empty();
        }
        try {
            return Optional.of(new DashboardOptions(host, port, token(System.getenv(TOKEN_ENV))));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The token from the flag's reference, else from {@code fromEnvironment}; null when neither is set. */
    String token(String fromEnvironment) {
        if (token == null) {
            return fromEnvironment == null || fromEnvironment.isEmpty() ? null : fromEnvironment;
        }
        if (!SecretReferences.isReference(token)) {
            throw new IllegalArgumentException("--dashboard-token takes a reference, '${env:NAME}' or '${file:/path}',"
                    + " not the secret itself, which would show in ps; or set " + TOKEN_ENV + " and leave the flag out");
        }
        return SecretReferences.fromSystem().resolveOne("--dashboard-token", token);
    }
}
