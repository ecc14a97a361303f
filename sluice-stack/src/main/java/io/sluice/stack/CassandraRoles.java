package io.sluice.stack;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.ssl.ProgrammaticSslEngineFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readiness of a secured Cassandra node: the real query, as the client user over TLS. On first start that user does
 * not exist yet; it is then created as the default superuser ({@code cassandra}/{@code cassandra}), whose password is
 * changed right after so the well-known one stops working.
 */
final class CassandraRoles {
    private static final Logger log = LoggerFactory.getLogger(CassandraRoles.class);

    private CassandraRoles() {
    }

    static boolean probeSecured(CassandraServer server, StackSecurity security, DriverConfigLoader config) {
        try (CqlSession session = session(server, security, config, StackSecurity.CLIENT_USER, security.credential("cassandra.password"))) {
            Row row = session.execute(CassandraServer.READINESS_QUERY).one();
            return row != null && row.getString("release_version") != null;
        } catch (AuthenticationException | com.datastax.oss.driver.api.core.AllNodesFailedException e) {
            if (!isAuthentication(e)) {
                log.debug("Cassandra not ready yet: {}", e.toString());
                return false;
            }
            createClientRole(server, security, config);
            return false; // the next probe checks as the new user
        } catch (RuntimeException e) {
            log.debug("Cassandra not ready yet: {}", e.toString());
            return false;
        }
    }

    private static boolean isAuthentication(RuntimeException e) {
        if (e instanceof AuthenticationException) {
            return true;
        }
        return ((com.datastax.oss.driver.api.core.AllNodesFailedException) e).getAllErrors().values().stream()
                .flatMap(java.util.List::stream).anyMatch(t -> t instanceof AuthenticationException);
    }

    private static void createClientRole(CassandraServer server, StackSecurity security, DriverConfigLoader config) {
        String superPassword = security.serverSecret("cassandra.superuser.password");
        for (String password : new String[] {"cassandra", superPassword}) {
            try (CqlSession admin = session(server, security, config, StackSecurity.CASSANDRA_DEFAULT_SUPERUSER, password)) {
                // CQL takes role passwords as literals only (no bind markers); generated passwords are base64url.
                admin.execute(SimpleStatement.newInstance("CREATE ROLE IF NOT EXISTS " + StackSecurity.CLIENT_USER
                        + " WITH PASSWORD = " + literal(security.credential("cassandra.password"))
                        + " AND LOGIN = true AND SUPERUSER = true"));
                admin.execute(SimpleStatement.newInstance("ALTER ROLE " + StackSecurity.CASSANDRA_DEFAULT_SUPERUSER
                        + " WITH PASSWORD = " + literal(superPassword)));
                log.info("Created Cassandra role {} on {}", StackSecurity.CLIENT_USER, server.address());
                return;
            } catch (RuntimeException e) {
                log.info("Cannot create the client role yet: {}", e.getClass().getSimpleName());
            }
        }
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private static CqlSession session(CassandraServer server, StackSecurity security, DriverConfigLoader config,
                                      String user, String password) {
        return CqlSession.builder()
                .addContactPoint(server.contactPoint())
                .withLocalDatacenter(CassandraServer.LOCAL_DATACENTER)
                .withConfigLoader(config)
                .withAuthCredentials(user, password)
                .withSslEngineFactory(new ProgrammaticSslEngineFactory(security.clientSslContext(), null, true))
                .build();
    }
}
