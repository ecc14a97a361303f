package io.sluice.ingest.source.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.Password;
import io.sluice.config.TlsStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** Self-signed server certificates made with the JDK's keytool, for TLS tests of the sources. */
public final class TestCertificates {
    public static final String STORE_PASSWORD = "tls-Store-Pass-61";

    private TestCertificates() {
    }

    /**
     * In {@code dir}: a server keystore with a self-signed certificate for {@code san} (e.g. {@code ip:127.0.0.1}), and
     * a truststore holding that certificate; returns {keystore, truststore}.
     */
    public static Path[] stores(Path dir, String san) throws Exception {
        Path keystore = dir.resolve("server.p12");
        Path cert = dir.resolve("server.crt");
        Path truststore = dir.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=test-api",
                "-ext", "SAN=" + san, "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString());
        keytool("-exportcert", "-alias", "server", "-keystore", keystore.toString(), "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", truststore.toString());
        return new Path[] {keystore, truststore};
    }

    /** The SSLContext a test server presents {@code keystore}'s certificate with. */
    public static SSLContext serverContext(Path keystore) throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(TlsStores.load(keystore.toString(), new Password(STORE_PASSWORD)), STORE_PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storepass:env", "STORE_PASSWORD")); // never on the command line
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true);
        builder.environment().put("STORE_PASSWORD", STORE_PASSWORD);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("keytool %s: %s", args[0], output).isZero();
    }
}
