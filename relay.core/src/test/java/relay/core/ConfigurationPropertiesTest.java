package relay.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import relay.api.ChannelRequest;
import relay.api.RelayChannel;
import relay.testing.ComponentConfig;

/**
 * Any value of any key of PID relay.core, as Config Admin could hand it over: it is taken, or
 * refused with a message naming the key; nothing else leaves the component, and a running
 * relay keeps its channels through any update.
 */
class ConfigurationPropertiesTest {

    private static final List<String> KEYS = Arrays.stream(RelayCoreConfig.class.getDeclaredMethods())
            .map(Method::getName).map(ComponentConfig::key).sorted().toList();

    private static RelayCore core;
    private static RelayChannel channel;

    @BeforeContainer
    static void start() throws Exception {
        core = Relays.start(Relays.config(23950, 23999), new ManualClock()); // time stands still: nothing expires
        channel = core.allocate(ChannelRequest.of("alice@example.com"));
    }

    @AfterContainer
    static void stop() {
        core.deactivate();
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.of(KEYS);
    }

    @Provide
    Arbitrary<Object> values() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40).map(s -> (Object) s),
                Arbitraries.strings().withChars("0123456789 -.:,abcdefx[]").ofMaxLength(12).map(s -> (Object) s),
                Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.of("true", "off", "strict", "handover", "::1", "127.0.0.1", "0.0.0.0", "", " 7 ", "65536")
                        .map(s -> (Object) s),
                Arbitraries.strings().ofMaxLength(10).array(String[].class).ofMaxSize(3).map(a -> (Object) a));
    }

    @Property(tries = 400)
    void anyValueIsTakenOrRefusedNamingItsKey(@ForAll("keys") String key, @ForAll("values") Object value) {
        try {
            Relays.parse(Map.of(key, value));
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().contains(key), key + "=" + value + ": " + e.getMessage());
        }
    }

    @Property(tries = 150)
    void aRunningRelayKeepsItsChannelThroughAnyUpdate(@ForAll("keys") String key, @ForAll("values") Object value) {
        Map<String, Object> update = new HashMap<>(Relays.config(23950, 23999));
        update.put(key, value);
        core.modified(Relays.typed(update)); // refused or applied: never thrown
        assertEquals(channel.id(), core.channel(channel.id()).orElseThrow().id());
        core.modified(Relays.typed(Relays.config(23950, 23999)));
    }
}
