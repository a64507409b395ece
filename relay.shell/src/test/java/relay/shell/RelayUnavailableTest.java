package relay.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import relay.api.RelayService;
import relay.core.RelayCore;
import relay.shell.GogoShell.Transcript;

/** The commands when the relay is missing, stopped or failing: one line each, never a trace. */
class RelayUnavailableTest {

    @Test
    void withoutARelayServiceEveryRelayCommandSaysSoButPoliciesStillList() {
        try (GogoShell shell = new GogoShell(null)) {
            shell.commands().bindPolicy(new DomainBan("x.example"), Map.of("service.id", 5L));
            Transcript t = shell.run("relay:channels", "relay:allocate alice@example.com", "relay:stats",
                    "relay:drain on", "relay:policies");
            assertEquals(List.of(
                    "The relay is not running (no RelayService); nothing was done.",
                    "The relay is not running (no RelayService); nothing was done.",
                    "The relay is not running (no RelayService); nothing was done.",
                    "The relay is not running (no RelayService); nothing was done."), t.err().lines().toList());
            assertTrue(t.out().contains("refuses x.example"), t.out());
        }
    }

    @Test
    void aCoreThatIsNotActiveIsReportedAsNotRunning() {
        try (GogoShell shell = new GogoShell(new RelayCore())) {
            Transcript t = shell.run("relay:stats", "relay:channel abc");
            assertEquals("", t.out());
            assertEquals(List.of(
                    "The relay is not running (the relay is not active); relay:stats did nothing.",
                    "The relay is not running (the relay is not active); relay:channel did nothing."),
                    t.err().lines().toList());
        }
    }

    @Test
    void aStoppedCoreAllocatesNothing() {
        RelayCore core = RelayCore25.start(25100);
        core.deactivate();
        try (GogoShell shell = new GogoShell(core)) {
            Transcript t = shell.run("relay:allocate alice@example.com");
            assertEquals("", t.out());
            assertEquals("The relay is not running (the relay is not active); relay:allocate did nothing.\n", t.err());
        }
    }

    @Test
    void anUnexpectedFailureIsOneLineWithoutAStackTrace() {
        RelayCore core = RelayCore25.start(25100);
        // The real core, except that stats() breaks: the core itself offers no way to fail there.
        RelayService failing = (RelayService) Proxy.newProxyInstance(RelayService.class.getClassLoader(),
                new Class<?>[] {RelayService.class}, (proxy, method, args) -> {
                    if (method.getName().equals("stats")) {
                        throw new UnsupportedOperationException("broken");
                    }
                    try {
                        return method.invoke(core, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        try (GogoShell shell = new GogoShell(failing)) {
            Transcript t = shell.run("relay:stats", "relay:channels");
            assertEquals("relay:stats failed: java.lang.UnsupportedOperationException: broken.\n", t.err());
            assertEquals("No channels.\n", t.out());
        } finally {
            core.deactivate();
        }
    }
}
