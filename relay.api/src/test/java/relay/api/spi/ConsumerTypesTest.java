package relay.api.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * Other bundles implement RelayPolicy and ChannelListener, so a method added to either must have
 * a default, or the package takes a major version. The baseline check does not catch it here:
 * bnd 7.1.0 rates an abstract method added to an interface that already has default methods as a
 * minor change. These sets are the abstract methods of release 1.0.0 of relay.api.spi.
 */
class ConsumerTypesTest {

    @Test
    void relayPolicyGainsNoAbstractMethodWithinAMajorVersion() {
        assertEquals(Set.of("name", "evaluate"), abstractMethods(RelayPolicy.class));
    }

    @Test
    void channelListenerGainsNoAbstractMethodWithinAMajorVersion() {
        assertEquals(Set.of(), abstractMethods(ChannelListener.class));
    }

    private static Set<String> abstractMethods(Class<?> type) {
        return Arrays.stream(type.getDeclaredMethods()).filter(m -> Modifier.isAbstract(m.getModifiers()))
                .map(Method::getName).collect(Collectors.toSet());
    }
}
