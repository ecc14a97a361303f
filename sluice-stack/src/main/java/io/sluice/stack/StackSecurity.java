package io.sluice.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * What a secured local stack ({@code sluice up --secure}) needs, under {@code <dataDir>/secure/}: a CA and a server
 * certificate for 127.0.0.1 made with the JDK's {@code keytool}, generated passwords, and the credentials file a
 * pipeline references with {@code ${file:<dataDir>/secure/credentials.properties:<key>}}. Created once; a stack that
 * was secured stays secured (delete the data dir to go back).
 *
 * <p>Secrets never ride on a command line: keytool reads its store password from the environment
 * ({@code -storepass:env}), and the client user is created through Kafka's Admin API and a CQL statement.
 */
public final class StackSecurity {
    public static final String CLIENT_USER = "sluice";
    public static final String KAFKA_MECHANISM = "SCRAM-SHA-512";
    static final String KAFKA_ADMIN_USER = "sluice-broker";
    static final String CASSANDRA_DEFAULT_SUPERUSER = "cassandra";

    private final Path dir;

    public StackSecurity(Path dataDir) {
        this.dir = dataDir.toAbsolutePath().resolve("secure");
    }

    /** True when this data dir holds a secured stack. */
    public static boolean isSecured(Path dataDir) {
        return Files.isRegularFile(new StackSecurity(dataDir).credentialsFile());
    }

    public Path directory() {
        return dir;
    }

    /** Client credentials, readable by this user only; keys are pipeline keys. */
    public Path credentialsFile() {
        return dir.resolve("credentials.properties");
    }

    /** The stack's own secrets (store password, broker user, Cassandra superuser), readable by this user only. */
    Path serverSecretsFile() {
        return dir.resolve("server-secrets.properties");
    }

    public Path truststore() {
        return dir.resolve("truststore.p12");
    }

    Path serverKeystore() {
        return dir.resolve("server.p12");
    }

    /** Makes the certificates, passwords and credentials file unless they exist. */
    public synchronized StackSecurity ensure() {
        if (Files.isRegularFile(credentialsFile()) && Files.isRegularFile(serverSecretsFile())) {
            return this;
        }
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            String storePassword = newPassword();
            generateCertificates(storePassword);
            Properties server = new Properties();
            server.setProperty("store.password", storePassword);
            server.setProperty("kafka.broker.password", newPassword());
            server.setProperty("cassandra.superuser.password", newPassword());
            writePrivate(serverSecretsFile(), server, "secrets of the local stack's servers");
            Properties client = new Properties();
            client.setProperty("kafka.sasl.username", CLIENT_USER);
            client.setProperty("kafka.sasl.password", newPassword());
            client.setProperty("kafka.ssl.truststore.location", truststore().toString());
            client.setProperty("kafka.ssl.truststore.password", storePassword);
            client.setProperty("cassandra.username", CLIENT_USER);
            client.setProperty("cassandra.password", newPassword());
            client.setProperty("cassandra.ssl.truststore.path", truststore().toString());
            client.setProperty("cassandra.ssl.truststore.password", storePassword);
            writePrivate(credentialsFile(), client, "credentials for the local secured stack; reference them as "
                    + "${file:" + credentialsFile() + ":<key>}");
            return this;
        } catch (IOException e) {
            throw new StackException("Could not set up the secured stack under " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Pipeline overrides that point a pipeline at this stack: references into the credentials file, never the
     * secrets themselves, so they may appear on a command line.
     */
    public Map<String, String> pipelineOverrides() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("kafka.security.protocol", "SASL_SSL");
        o.put("kafka.sasl.mechanism", KAFKA_MECHANISM);
        for (String key : List.of("kafka.sasl.username", "kafka.sasl.password", "kafka.ssl.truststore.location",
                "kafka.ssl.truststore.password", "cassandra.username", "cassandra.password",
                "cassandra.ssl.truststore.path", "cassandra.ssl.truststore.password")) {
            o.put(key, reference(key));
        }
        o.put("cassandra.ssl.enabled", "true");
        return o;
    }

    /** {@code ${file:<credentials file>:<key>}}. */
    public String reference(String key) {
        return "${file:" + credentialsFile() + ":" + key + "}";
    }

    public String credential(String key) {
        return read(credentialsFile()).getProperty(key);
    }

    String serverSecret(String key) {
        return read(serverSecretsFile()).getProperty(key);
    }

    /** Trusts the stack's CA only. */
    SSLContext clientSslContext() {
        try (InputStream in = Files.newInputStream(truststore())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, serverSecret("store.password").toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new StackException("Cannot read the stack's truststore " + truststore() + ": " + e.getMessage(), e);
        }
    }

    /** Kafka admin-client settings for the broker's own SCRAM user (used for readiness and to create the client user). */
    Map<String, Object> kafkaAdminProperties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", KAFKA_MECHANISM);
        p.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + KAFKA_ADMIN_USER + "\" password=\"" + serverSecret("kafka.broker.password") + "\";");
        p.put("ssl.truststore.location", truststore().toString());
        p.put("ssl.truststore.password", serverSecret("store.password"));
        p.put("ssl.truststore.type", "PKCS12");
        return p;
    }

    private void generateCertificates(String storePassword) throws IOException {
        for (String f : List.of("ca.p12", "ca.pem", "server.p12", "server.csr", "server.pem", "truststore.p12")) {
            Files.deleteIfExists(dir.resolve(f));
        }
        String san = "SAN=ip:127.0.0.1,dns:localhost";
        keytool(storePassword, "-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-validity", "3650",
                "-dname", "CN=Sluice local CA", "-ext", "bc:c", "-keystore", "ca.p12", "-storetype", "PKCS12");
        keytool(storePassword, "-exportcert", "-alias", "ca", "-keystore", "ca.p12", "-rfc", "-file", "ca.pem");
        keytool(storePassword, "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "825",
                "-dname", "CN=127.0.0.1", "-ext", san, "-keystore", "server.p12", "-storetype", "PKCS12");
        keytool(storePassword, "-certreq", "-alias", "server", "-keystore", "server.p12", "-file", "server.csr");
        keytool(storePassword, "-gencert", "-alias", "ca", "-keystore", "ca.p12", "-infile", "server.csr",
                "-outfile", "server.pem", "-rfc", "-validity", "825", "-ext", san);
        keytool(storePassword, "-importcert", "-alias", "ca", "-file", "ca.pem", "-keystore", "server.p12", "-noprompt");
        keytool(storePassword, "-importcert", "-alias", "server", "-file", "server.pem", "-keystore", "server.p12", "-noprompt");
        keytool(storePassword, "-importcert", "-alias", "ca", "-file", "ca.pem", "-keystore", "truststore.p12",
                "-storetype", "PKCS12", "-noprompt");
    }

    private void keytool(String storePassword, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storepass:env", "SLUICE_STORE_PASSWORD"));
        if (args[0].equals("-genkeypair")) {
            cmd.addAll(List.of("-keypass:env", "SLUICE_STORE_PASSWORD"));
        }
        ProcessBuilder builder = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("SLUICE_STORE_PASSWORD", storePassword);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new StackException("keytool " + args[0] + " failed in " + dir + ": " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted while running keytool", e);
        }
    }

    private static String newPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void writePrivate(Path file, Properties properties, String comment) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(out, comment);
        }
    }

    private static Properties read(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return p;
    }
}
