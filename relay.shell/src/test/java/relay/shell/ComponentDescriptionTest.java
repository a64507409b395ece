package relay.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.felix.service.command.Descriptor;
import org.junit.jupiter.api.Test;

/** The DS description that bnd generated is what Gogo sees in a framework: check it matches the class. */
class ComponentDescriptionTest {

    private final ShellComponent component = ShellComponent.read();

    @Test
    void theCommandsAreAnImmediateComponentInScopeRelay() {
        assertTrue(component.immediate());
        assertEquals(List.of("relay"), component.property("osgi.command.scope"));
    }

    @Test
    void everyFunctionIsAPublicMethodAndEveryPublicCommandMethodIsAFunction() {
        Set<String> functions = new TreeSet<>(component.property("osgi.command.function"));
        Set<String> methods = Arrays.stream(RelayCommands.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && !m.isSynthetic())
                .map(Method::getName).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of("channels", "channel", "allocate", "destroy", "stats", "policies", "drain", "nodes"), functions);
        assertEquals(functions, methods);
    }

    @Test
    void everyCommandAndEveryParameterHasADescriptorForHelp() {
        for (Method m : RelayCommands.class.getDeclaredMethods()) {
            if (!Modifier.isPublic(m.getModifiers())) {
                continue;
            }
            Descriptor d = m.getAnnotation(Descriptor.class);
            assertNotNull(d, m + " has no @Descriptor");
            assertFalse(d.value().isBlank(), m.toString());
            for (Parameter p : m.getParameters()) {
                assertNotNull(p.getAnnotation(Descriptor.class), p + " of " + m + " has no @Descriptor");
            }
        }
    }
}
