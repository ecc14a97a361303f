package io.sluice.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** Truststores and keystores with the JDK alone, so every client (whatever its driver) builds TLS the same way. */
public final class TlsStores {
    private TlsStores() {
    }

    /** {@code PKCS12} or {@code JKS}, read from the file itself: a user should not have to say which. */
    public static String type(String path, Password password) {
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            byte[] magic = in.readNBytes(4);
            // A JKS file starts with 0xFEEDFEED; PKCS12 is DER (0x30 ...).
            boolean jks = magic.length == 4 && (magic[0] & 0xff) == 0xFE && (magic[1] & 0xff) == 0xED;
            return jks ? "JKS" : "PKCS12";
        } catch (IOException e) {
            return "PKCS12";
        }
    }

    public static KeyStore load(String path, Password password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(type(path, password));
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            store.load(in, password == null ? null : password.value().toCharArray());
        }
        return store;
    }

    /** Trust managers for {@code truststorePath}, or for the JVM's CAs when it is null. */
    public static TrustManager[] trustManagers(String truststorePath, Password truststorePassword)
            throws IOException, GeneralSecurityException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(truststorePath == null ? null : load(truststorePath, truststorePassword));
        return trust.getTrustManagers();
    }

    /** Key managers presenting the key in {@code keystorePath}; null (no client certificate) when it is null. */
    public static KeyManager[] keyManagers(String keystorePath, Password keystorePassword)
            throws IOException, GeneralSecurityException {
        if (keystorePath == null) {
            return null;
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(keystorePath, keystorePassword), keystorePassword == null ? null : keystorePassword.value().toCharArray());
        return keys.getKeyManagers();
    }

    /**
     * An SSLContext trusting {@code truststorePath} (or the JVM's CAs when null) and presenting the key in
     * {@code keystorePath} (none when null).
     */
    public static SSLContext context(String truststorePath, Password truststorePassword,
                                     String keystorePath, Password keystorePassword) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers(keystorePath, keystorePassword), trustManagers(truststorePath, truststorePassword), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("Cannot open the TLS stores " + (truststorePath == null ? "" : truststorePath + " ")
                    + (keystorePath == null ? "" : keystorePath + " ") + "(" + e.getClass().getSimpleName()
                    + "): check the path and its password key (`*.truststore.password` / `*.keystore.password`).");
        }
    }
}
