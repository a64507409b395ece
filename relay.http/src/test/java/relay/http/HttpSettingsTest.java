package relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import relay.testing.ComponentConfig;
import relay.testing.TestKeystore;

class HttpSettingsTest {

    private static final String TOKEN = RestApiTest.TOKEN;

    /** The settings of a configuration, as DS hands it to the components. */
    private static HttpSettings from(Map<String, ?> properties) {
        return HttpSettings.from(ComponentConfig.of(HttpConfig.class, properties));
    }

    private static Map<String, Object> config(Object... keyValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    @Test
    void absentKeysTakeTheDefaults() {
        assertEquals(new HttpSettings("127.0.0.1", 8480, "", "", ""), from(Map.of()));
        assertFalse(from(Map.of()).tls());
    }

    @Test
    void acceptsStringsFromFilesAndNumbersFromConfigAdmin() {
        assertEquals(new HttpSettings("0.0.0.0", 9000, TOKEN, "", ""),
                from(Map.of("address", " 0.0.0.0 ", "port", "9000", "token", TOKEN + " ")));
        assertEquals(new HttpSettings("::1", 18600, "", "", ""), from(Map.of("address", "::1", "port", 18600)));
        assertEquals("relay.example.com", from(Map.of("address", "relay.example.com")).address());
    }

    @Test
    void refusesABadPortNamingKeyAndValue() {
        for (Object bad : new Object[] {"abc", "0", "65536", -1, "80.5"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> from(Map.of("port", bad)));
            assertTrue(e.getMessage().contains("port = '" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void refusesWhatIsNeitherAnAddressNorAHostName() {
        for (String bad : new String[] {"", "300.1.1.1", "1.2.3", "bad host", "-x.example", "::g", "a..b"}) {
            assertThrows(IllegalArgumentException.class, () -> from(Map.of("address", bad)), bad);
        }
    }

    /** Found by {@link HttpConfigPropertyTest}: DS gives null for an empty list, which was a NullPointerException. */
    @Test
    void anEmptyListIsNoValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> from(Map.of("address", new String[0])));
        assertEquals("relay.http: address is empty", e.getMessage());
        assertEquals("", from(Map.of("token", new String[0], "tls.keystore", new String[0])).token());
        assertThrows(IllegalArgumentException.class, () -> from(Map.of("port", new String[0])));
    }

    @Test
    void knowsWhetherOnlyThisHostCanReachIt() {
        for (String local : new String[] {"127.0.0.1", "127.0.0.2", "localhost", "LOCALHOST", "::1", "0:0:0:0:0:0:0:1"}) {
            assertTrue(from(Map.of("address", local)).loopbackOnly(), local);
        }
        for (String open : new String[] {"0.0.0.0", "::", "192.0.2.7", "2001:db8::1", "relay.example.com", "localhost.example.com"}) {
            assertFalse(from(Map.of("address", open)).loopbackOnly(), open);
        }
    }

    @Test
    void aNewTokenKeepsTheListener() {
        HttpSettings a = from(Map.of("port", "18601"));
        assertTrue(a.sameListener(from(Map.of("port", "18601", "token", TOKEN))));
        assertFalse(a.sameListener(from(Map.of("port", "18602"))));
    }

    @Test
    void aTokenShorterThan16CharactersIsRefusedWithoutShowingIt() {
        String fifteen = "fifteen-chars15";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> from(Map.of("token", fifteen)));
        assertTrue(e.getMessage().contains("token") && e.getMessage().contains("16"), e.getMessage());
        assertFalse(e.getMessage().contains(fifteen), e.getMessage());
        assertEquals("fifteen-chars-16", from(Map.of("token", " fifteen-chars-16 ")).token());
        assertThrows(IllegalArgumentException.class, () -> from(Map.of("token", "s3cret")));
    }

    @Test
    void aTokenIsPrintableAsciiWithoutSpaces() {
        for (String bad : new String[] {"sixteen chars ok", "t\u00f6ken-t\u00f6ken-t\u00f6ken", "tab\there-and-more-chars",
                "control\u0001-and-more-chars"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> from(Map.of("token", bad)), bad);
            assertFalse(e.getMessage().contains(bad), e.getMessage());
        }
        assertEquals("A-z0-9._~+/=!#$%&'*^`|", from(Map.of("token", "A-z0-9._~+/=!#$%&'*^`|")).token());
    }

    @Test
    void itsTextNeverShowsTheSecrets(@TempDir Path dir) {
        TestKeystore ks = TestKeystore.create(dir.resolve("relay.p12"), "keystore-secret");
        HttpSettings s = from(Map.of("token", TOKEN, "tls.keystore", ks.path().toString(), "tls.password", ks.password()));
        assertFalse(s.toString().contains(TOKEN), s.toString());
        assertFalse(s.toString().contains("keystore-secret"), s.toString());
    }

    @Test
    void tlsTakesAReadablePkcs12KeystoreAndItsPassword(@TempDir Path dir) {
        TestKeystore ks = TestKeystore.create(dir.resolve("relay.p12"), "changeit-pw");
        HttpSettings s = from(config("tls.keystore", " " + ks.path() + " ", "tls.password", ks.password()));
        assertTrue(s.tls());
        assertEquals(ks.path().toAbsolutePath().toString(), s.tlsKeystore());
        assertEquals("https", s.scheme());
        assertEquals("http", from(Map.of()).scheme());
        assertFalse(s.sameListener(from(Map.of())), "switching TLS on moves the listener");
    }

    @Test
    void tlsRefusesWhatCannotServe(@TempDir Path dir) throws IOException {
        TestKeystore ks = TestKeystore.create(dir.resolve("relay.p12"), "changeit-pw");
        Path text = Files.writeString(dir.resolve("not-a-keystore.p12"), "hello");
        Path certOnly = ks.writeCertificateOnly(dir.resolve("cert-only.p12"));
        Map<Map<String, Object>, String> refusals = Map.of(
                config("tls.keystore", ks.path().toString(), "tls.password", "wrong-password"), "tls.keystore",
                config("tls.keystore", ks.path().toString()), "tls.password",
                config("tls.password", ks.password()), "tls.keystore",
                config("tls.keystore", dir.resolve("missing.p12").toString(), "tls.password", "x"), "missing.p12",
                config("tls.keystore", dir.toString(), "tls.password", "x"), "tls.keystore",
                config("tls.keystore", text.toString(), "tls.password", "changeit-pw"), "not-a-keystore.p12",
                config("tls.keystore", certOnly.toString(), "tls.password", "changeit-pw"), "private key");
        refusals.forEach((properties, named) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> from(properties),
                    properties.toString());
            assertTrue(e.getMessage().contains(named), e.getMessage());
            assertFalse(e.getMessage().contains("changeit-pw") || e.getMessage().contains("wrong-password"), e.getMessage());
        });
    }

    @Test
    void aListenerOtherHostsCanReachWarnsWithoutTlsOrToken(@TempDir Path dir) {
        TestKeystore ks = TestKeystore.create(dir.resolve("relay.p12"), "changeit-pw");
        String store = ks.path().toString();
        assertEquals(Optional.empty(), from(Map.of()).exposure());
        assertEquals(Optional.empty(), from(Map.of("address", "::1")).exposure());
        assertEquals(Optional.empty(), from(config("address", "0.0.0.0", "token", TOKEN, "tls.keystore", store,
                "tls.password", ks.password())).exposure());

        String neither = from(config("address", "0.0.0.0")).exposure().orElseThrow();
        assertTrue(neither.contains("0.0.0.0:8480") && neither.contains("without TLS") && neither.contains("without a token"),
                neither);
        String noTls = from(config("address", "192.0.2.7", "token", TOKEN)).exposure().orElseThrow();
        assertTrue(noTls.contains("without TLS") && !noTls.contains("without a token"), noTls);
        String noToken = from(config("address", "0.0.0.0", "tls.keystore", store, "tls.password", ks.password()))
                .exposure().orElseThrow();
        assertTrue(noToken.contains("without a token") && !noToken.contains("without TLS"), noToken);
    }
}
