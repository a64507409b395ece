package relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import relay.testing.CapturedLog;
import relay.testing.ComponentConfig;
import relay.testing.TestKeystore;

/** What the listener hands Felix HTTP Jetty, and what it logs, with Config Admin stood in for. */
class HttpListenerTest {

    private final CapturedLog log = new CapturedLog("relay.http");
    /** Every update of the Jetty instance's factory configuration, in order. */
    private final List<Map<String, Object>> updates = new ArrayList<>();
    private boolean deleted;
    private final HttpListener listener = new HttpListener(configAdmin(), log.logger());

    @AfterEach
    void closeLog() {
        log.close();
    }

    private ConfigurationAdmin configAdmin() {
        Configuration jetty = (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Configuration.class}, (self, method, args) -> {
                    switch (method.getName()) {
                        case "update" -> {
                            Dictionary<?, ?> d = (Dictionary<?, ?>) args[0];
                            Map<String, Object> copy = new HashMap<>();
                            for (Object key : Collections.list(d.keys())) {
                                copy.put((String) key, d.get(key));
                            }
                            updates.add(copy);
                        }
                        case "delete" -> deleted = true;
                        default -> {
                        }
                    }
                    return null;
                });
        return (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ConfigurationAdmin.class}, (self, method, args) -> {
                    if (method.getName().equals("getFactoryConfiguration") && args.length == 3
                            && args[0].equals("org.apache.felix.http") && args[1].equals("relay.http")) {
                        return jetty;
                    }
                    throw new UnsupportedOperationException(method.toString());
                });
    }

    private static HttpConfig config(Object... keyValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return ComponentConfig.of(HttpConfig.class, m);
    }

    private Map<String, Object> last() {
        return updates.get(updates.size() - 1);
    }

    @Test
    void plainHttpOnTheConfiguredAddressAndPort() throws Exception {
        listener.activate(config("port", "18620"));
        Map<String, Object> p = last();
        assertEquals("127.0.0.1", p.get("org.apache.felix.http.host"));
        assertEquals(18620, p.get("org.osgi.service.http.port"));
        assertEquals(true, p.get("org.apache.felix.http.enable"));
        assertEquals(false, p.get("org.apache.felix.https.enable"));
        assertEquals("true", p.get("org.apache.felix.http.runtime.init.relay.http"));
        assertEquals(List.of("REST API at http://127.0.0.1:18620/relay"), log.messages(Level.INFO));
        assertEquals(List.of(), log.messages(Level.WARNING));
        listener.deactivate();
        assertTrue(deleted);
    }

    @Test
    void aKeystoreTurnsTheListenerIntoHttpsOnly(@TempDir Path dir) throws Exception {
        TestKeystore ks = TestKeystore.create(dir.resolve("relay.p12"), "changeit-pw");
        listener.activate(config("port", "18621", "tls.keystore", ks.path().toString(), "tls.password", ks.password()));
        Map<String, Object> p = last();
        assertEquals(false, p.get("org.apache.felix.http.enable"));
        assertEquals(true, p.get("org.apache.felix.https.enable"));
        assertEquals(18621, p.get("org.osgi.service.http.port.secure"));
        assertEquals(ks.path().toAbsolutePath().toString(), p.get("org.apache.felix.https.keystore"));
        assertEquals("changeit-pw", p.get("org.apache.felix.https.keystore.password"));
        assertEquals("changeit-pw", p.get("org.apache.felix.https.keystore.key.password"));
        assertEquals("PKCS12", p.get("org.apache.felix.https.keystore.type"));
        assertEquals("TLSv1.3,TLSv1.2", p.get("org.apache.felix.https.jetty.protocols.included"));
        assertEquals(List.of("REST API at https://127.0.0.1:18621/relay"), log.messages(Level.INFO));

        listener.modified(config("port", "18621"));
        assertEquals(true, last().get("org.apache.felix.http.enable"));
        assertFalse(last().containsKey("org.apache.felix.https.keystore.password"));
    }

    @Test
    void aListenerOtherHostsCanReachWarnsOnceAtStart() throws Exception {
        listener.activate(config("address", "0.0.0.0", "port", "18622"));
        List<String> warnings = log.messages(Level.WARNING);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("without TLS") && warnings.get(0).contains("without a token"), warnings.get(0));

        listener.modified(config("address", "0.0.0.0", "port", "18622", "token", RestApiTest.TOKEN));
        assertEquals(2, log.messages(Level.WARNING).size(), "a new token changes what is exposed");
        String now = log.messages(Level.WARNING).get(1);
        assertTrue(now.contains("without TLS") && !now.contains("without a token"), now);
        assertFalse(now.contains(RestApiTest.TOKEN), now);
    }

    @Test
    void aShortTokenIsRefusedAndTheListenerStays() throws Exception {
        listener.activate(config("port", "18623", "token", RestApiTest.TOKEN));
        int before = updates.size();
        listener.modified(config("port", "18624", "token", "short-token"));
        assertEquals(before, updates.size(), "the listener did not move");
        List<String> errors = log.messages(Level.SEVERE);
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("token") && errors.get(0).contains("16")
                && errors.get(0).contains("previous configuration stays"), errors.get(0));
        assertFalse(errors.get(0).contains("short-token"), errors.get(0));
    }

    @Test
    void anInvalidFirstConfigurationFallsBackToTheLoopbackDefaults() throws Exception {
        listener.activate(config("address", "0.0.0.0", "port", "18625", "token", "short"));
        assertEquals("127.0.0.1", last().get("org.apache.felix.http.host"));
        assertEquals(8480, last().get("org.osgi.service.http.port"));
        assertEquals(1, log.messages(Level.SEVERE).size());
    }
}
