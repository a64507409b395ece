package relay.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real PKCS#12 keystore for TLS tests, made as an operator makes one: by the JDK's
 * {@code keytool}, run as a process. Its certificate is self-signed for {@code localhost} and
 * {@code 127.0.0.1}, valid for two days; {@link #trust()} gives a client that trusts it and
 * nothing else.
 *
 * @param path the keystore file
 * @param password its password (the key's too)
 */
public record TestKeystore(Path path, String password) {

    /** The alias of the key pair. */
    public static final String ALIAS = "relay";

    /**
     * Runs {@code keytool -genkeypair} to make {@code path}.
     *
     * @param path where the keystore goes (must not exist yet)
     * @param password its password, at least 6 characters (keytool's minimum)
     * @return the keystore
     */
    public static TestKeystore create(Path path, String password) {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = List.of(keytool.toString(), "-genkeypair", "-alias", ALIAS, "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", path.toString(), "-storepass", password,
                "-keypass", password, "-noprompt");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("keytool did not finish within 60 s");
            }
            if (p.exitValue() != 0 || !Files.isRegularFile(path)) {
                throw new IllegalStateException("keytool failed (" + p.exitValue() + "): " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + keytool, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while keytool ran", e);
        }
        return new TestKeystore(path, password);
    }

    /** @return the keystore, loaded */
    public KeyStore load() {
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password.toCharArray());
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load " + path, e);
        }
    }

    /** @return the self-signed certificate */
    public Certificate certificate() {
        try {
            return load().getCertificate(ALIAS);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes a PKCS#12 file that holds this keystore's certificate and no private key, as a
     * trust store does: a server cannot serve TLS with it.
     *
     * @param to where
     * @return the file
     */
    public Path writeCertificateOnly(Path to) {
        try (OutputStream out = Files.newOutputStream(to)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry(ALIAS, certificate());
            ks.store(out, password.toCharArray());
            return to;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write " + to, e);
        }
    }

    /** @return a TLS client context that trusts this keystore's certificate only */
    public SSLContext trust() {
        try {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry(ALIAS, certificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot trust " + path, e);
        }
    }
}
