package relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.ComponentException;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import relay.testing.CapturedLog;
import relay.testing.ComponentConfig;

/**
 * Random configurations of PID {@code relay.http}, of any value type Config Admin can hold:
 * the components never throw; a configuration is taken whole or refused whole with one log line
 * that shows no secret, and a refused one leaves the listener and the token as they were.
 */
class HttpConfigPropertyTest {

    private static final String GOOD_TOKEN = "a-good-token-0123456789";
    private static final String[] KEYS = {"address", "port", "token", "tls.keystore", "tls.password"};

    @Provide
    Arbitrary<Map<String, Object>> configurations() {
        Arbitrary<Object> value = Arbitraries.oneOf(
                Generators.anyText().map(s -> (Object) s),
                Arbitraries.of("127.0.0.1", "0.0.0.0", "::1", "localhost", "relay.example.com", "8480", " 8481 ", "0",
                        "65536", "80.5", "-1", "abc", GOOD_TOKEN, "short", "x".repeat(15), "y".repeat(16), "no such file.p12",
                        "/etc/passwd", "/", "").map(s -> (Object) s),
                Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Generators.anyText().array(String[].class).ofMaxSize(3).map(a -> (Object) a),
                Arbitraries.integers().between(1, 65535).map(i -> (Object) new Integer[] {i}));
        return Arbitraries.maps(Arbitraries.of(KEYS), value).ofMaxSize(KEYS.length);
    }

    @Property(tries = 1000)
    void settingsAreTakenOrRefusedNamingWhatWithoutSecrets(@ForAll("configurations") Map<String, Object> properties) {
        HttpConfig config;
        try {
            config = ComponentConfig.of(HttpConfig.class, properties);
        } catch (ComponentException e) {
            return; // DS itself cannot give such a value; the components catch what its proxy throws
        }
        try {
            HttpSettings s = HttpSettings.from(config);
            assertTrue(s.port() >= 1 && s.port() <= 65535);
            assertTrue(s.token().isEmpty() || s.token().length() >= HttpSettings.MIN_TOKEN_LENGTH);
            assertFalse(s.address().isBlank());
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().startsWith("relay.http: "), e.getMessage());
            for (String secret : new String[] {"token", "tls.password"}) {
                Object v = properties.get(secret);
                if (v instanceof String text && text.strip().length() >= 4 && !writtenElsewhere(properties, text.strip())) {
                    assertFalse(e.getMessage().contains(text.strip()), () -> "the message shows " + secret + ": " + e.getMessage());
                }
            }
        } catch (ComponentException e) {
            // a value the DS proxy cannot coerce, met when the component reads it: the components catch it too
        }
    }

    @Property(tries = 1000)
    void theComponentsNeverThrowAndARefusalChangesNothing(@ForAll("configurations") Map<String, Object> properties)
            throws Exception {
        try (CapturedLog log = new CapturedLog("relay.http")) {
            List<Map<String, Object>> updates = new ArrayList<>();
            HttpListener listener = new HttpListener(configAdmin(updates), log.logger());
            RestServlet servlet = new RestServlet(log.logger());
            HttpConfig base = ComponentConfig.of(HttpConfig.class, Map.of("port", "18630", "token", GOOD_TOKEN));
            listener.activate(base);
            servlet.activate(base);
            int before = updates.size();
            int errorsBefore = log.messages(Level.SEVERE).size();

            HttpConfig next;
            try {
                next = ComponentConfig.of(HttpConfig.class, properties);
            } catch (ComponentException e) {
                return;
            }
            listener.modified(next);
            servlet.modified(next);

            boolean valid;
            try {
                HttpSettings.from(next);
                valid = true;
            } catch (RuntimeException e) {
                valid = false;
            }
            List<String> errors = log.messages(Level.SEVERE);
            if (valid) {
                assertEquals(errorsBefore, errors.size(), errors.toString());
            } else {
                assertEquals(errorsBefore + 1, errors.size(), errors.toString());
                assertEquals(before, updates.size(), "a refused configuration moved the listener");
                assertTrue(errors.get(errors.size() - 1).endsWith("; the previous configuration stays in force"));
                // the token in force is never shown, unless the operator wrote that text under a key that is no secret
                assertTrue(writtenElsewhere(properties, GOOD_TOKEN) || !errors.get(errors.size() - 1).contains(GOOD_TOKEN),
                        errors.toString());
            }
            for (String line : log.messages(Level.INFO)) {
                assertTrue(writtenElsewhere(properties, GOOD_TOKEN) || !line.contains(GOOD_TOKEN), line);
            }
            listener.deactivate();
        }
    }

    /** @return whether {@code text} is (part of) the value of a key that is no secret, which a message may show */
    private static boolean writtenElsewhere(Map<String, Object> properties, String text) {
        return properties.entrySet().stream()
                .filter(e -> !e.getKey().equals("token") && !e.getKey().equals("tls.password"))
                .anyMatch(e -> java.util.Arrays.deepToString(new Object[] {e.getValue()}).contains(text));
    }

    private static ConfigurationAdmin configAdmin(List<Map<String, Object>> updates) {
        Configuration jetty = (Configuration) Proxy.newProxyInstance(HttpConfigPropertyTest.class.getClassLoader(),
                new Class<?>[] {Configuration.class}, (self, method, args) -> {
                    if (method.getName().equals("update") && args != null && args.length == 1) {
                        java.util.Dictionary<?, ?> d = (java.util.Dictionary<?, ?>) args[0];
                        Map<String, Object> copy = new HashMap<>();
                        for (Object key : java.util.Collections.list(d.keys())) {
                            copy.put((String) key, d.get(key));
                        }
                        updates.add(copy);
                    }
                    return null;
                });
        return (ConfigurationAdmin) Proxy.newProxyInstance(HttpConfigPropertyTest.class.getClassLoader(),
                new Class<?>[] {ConfigurationAdmin.class}, (self, method, args) -> jetty);
    }
}
