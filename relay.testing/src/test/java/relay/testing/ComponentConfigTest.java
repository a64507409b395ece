package relay.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.service.component.ComponentException;

class ComponentConfigTest {

    @interface Sample {
        int port_min() default 10000;

        String bind_address() default "0.0.0.0";

        boolean rtcp() default true;

        String[] domains() default {};

        int io_threads();

        String a__b$c$_$d();
    }

    @Test
    void keysFollowTheDeclarativeServicesNamingRules() {
        assertEquals("port.min", ComponentConfig.key("port_min"));
        assertEquals("a_bc-d", ComponentConfig.key("a__b$c$_$d"));
    }

    @Test
    void missingKeysGiveTheAnnotationDefaultsOrZero() {
        Sample s = ComponentConfig.of(Sample.class, Map.of());
        assertEquals(10000, s.port_min());
        assertEquals("0.0.0.0", s.bind_address());
        assertEquals(true, s.rtcp());
        assertEquals(0, s.domains().length);
        assertEquals(0, s.io_threads());
    }

    @Test
    void stringsAreCoercedAndScalarsBecomeArrays() {
        Sample s = ComponentConfig.of(Sample.class,
                Map.of("port.min", "12000", "rtcp", "false", "domains", "example.com", "a_bc-d", 5));
        assertEquals(12000, s.port_min());
        assertEquals(false, s.rtcp());
        assertArrayEquals(new String[] {"example.com"}, s.domains());
        assertEquals("5", s.a__b$c$_$d());
        assertArrayEquals(new String[] {"a", "b"},
                ComponentConfig.of(Sample.class, Map.of("domains", List.of("a", "b"))).domains());
    }

    @Test
    void aValueThatCannotBeCoercedFailsWhenRead() {
        Sample s = ComponentConfig.of(Sample.class, Map.of("port.min", "ten"));
        assertThrows(ComponentException.class, s::port_min);
    }
}
