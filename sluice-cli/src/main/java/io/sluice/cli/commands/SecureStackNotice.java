package io.sluice.cli.commands;

import io.sluice.stack.LocalStack;

/** Tells the user of a secured stack where its credentials are and how a pipeline refers to them. */
final class SecureStackNotice {
    private SecureStackNotice() {
    }

    static void print(LocalStack stack) {
        var security = stack.security();
        System.out.println("Secured: Kafka SASL_SSL (SCRAM-SHA-512), Cassandra PasswordAuthenticator + TLS; CA and "
                + "certificates in " + security.directory());
        System.out.println("Credentials (user " + io.sluice.stack.StackSecurity.CLIENT_USER + ", readable by you only): "
                + security.credentialsFile());
        System.out.println("A pipeline refers to them as " + security.reference("kafka.sasl.password")
                + " (see docs/security.md)");
    }
}
