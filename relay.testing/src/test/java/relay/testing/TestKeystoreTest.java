package relay.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.KeyStore;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestKeystoreTest {

    @Test
    void keytoolMakesAKeyPairAndAClientCanTrustItsCertificate(@TempDir Path dir) throws Exception {
        TestKeystore ks = TestKeystore.create(dir.resolve("relay.p12"), "changeit-pw");
        KeyStore loaded = ks.load();
        assertTrue(loaded.isKeyEntry(TestKeystore.ALIAS));
        assertNotNull(ks.trust());
        KeyStore certOnly = new TestKeystore(ks.writeCertificateOnly(dir.resolve("cert.p12")), ks.password()).load();
        assertTrue(certOnly.isCertificateEntry(TestKeystore.ALIAS));
    }
}
