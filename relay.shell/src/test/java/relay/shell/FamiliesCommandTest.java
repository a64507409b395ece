package relay.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import relay.api.AddressFamily;
import relay.api.RelayChannel;
import relay.api.Side;
import relay.core.RelayCore;
import relay.shell.GogoShell.Transcript;

/**
 * What the core gained, at the Gogo console: {@code relay:allocate --family-a/--family-b} (IPv4/IPv6
 * bridges), a host per side in {@code relay:allocate} and {@code relay:channel}, and the caps in
 * force. Ports 25400-25499.
 */
class FamiliesCommandTest {

    private RelayCore core;
    private RecordingRelay relay;
    private GogoShell shell;

    private void start(Map<String, Object> extra) {
        core = RelayCore25.start(25400, extra);
        relay = new RecordingRelay(core);
        shell = new GogoShell(relay);
    }

    @AfterEach
    void stop() {
        if (shell != null) {
            shell.close();
        }
        if (core != null) {
            core.deactivate();
        }
    }

    @Test
    void aBridgeHasAHostPerSideInTheAllocationAndTheChannel() {
        start(Map.of("bind.address6", "::1", "public.address6", "::1"));
        Transcript t = shell.run("relay:allocate --family-b IPv6 alice@example.com - '[0:0:0:0:0:0:0:1]:4000'");
        assertEquals("", t.err());
        assertEquals(Optional.of(AddressFamily.IPV6), relay.requests().get(0).family(Side.B));
        assertEquals(Optional.empty(), relay.requests().get(0).family(Side.A));
        RelayChannel c = core.channels().get(0);
        List<String> lines = t.out().lines().toList();
        assertTrue(lines.contains("host A      127.0.0.1  (the requester's)"), t.out());
        assertTrue(lines.contains("host B      ::1  (the other party's)"), t.out());
        assertTrue(lines.contains("expect B    [::1]:4000  (side B latches onto this source only)"), t.out());

        Transcript details = shell.run("relay:channel " + c.id());
        assertEquals("", details.err());
        assertTrue(details.out().lines().anyMatch(l -> l.matches("host B +::1")), details.out());
        assertTrue(details.out().lines().noneMatch(l -> l.startsWith("host A")), details.out());
    }

    @Test
    void shortOptionsAndOneFamilyPerSide() {
        start(Map.of("bind.address6", "::1"));
        assertEquals("", shell.run("relay:allocate -a ipv4 -b ipv6 bob@example.com").err());
        assertEquals(Optional.of(AddressFamily.IPV4), relay.requests().get(0).family(Side.A));
        assertEquals(Optional.of(AddressFamily.IPV6), relay.requests().get(0).family(Side.B));
        Transcript plain = shell.run("relay:allocate bob@example.com 192.0.2.7");
        assertEquals("", plain.err());
        assertTrue(plain.out().lines().anyMatch(l -> l.startsWith("host        127.0.0.1")), plain.out());
        assertEquals(Optional.empty(), relay.requests().get(1).family(Side.B));
    }

    @Test
    void aBadFamilyOrOneTheRelayLacksPrintsOneLineAndAllocatesNothing() {
        start(Map.of());
        assertEquals("Invalid IP version for side B: 'ipv5' is neither ipv4 nor ipv6. Nothing was allocated.",
                shell.run("relay:allocate --family-b ipv5 alice@example.com").err().strip());
        assertEquals(List.of(), relay.requests());
        String lacking = shell.run("relay:allocate --family-b ipv6 alice@example.com").err().strip();
        assertTrue(lacking.contains("bind.address6") && lacking.endsWith("Nothing was allocated."), lacking);
        assertEquals(0, core.stats().allocated());
    }

    @Test
    void theChannelShowsTheCapsInForce() {
        start(Map.of("max.kbps", "512", "max.pps", "1000"));
        shell.run("relay:allocate carol@example.com");
        Transcript t = shell.run("relay:channel " + core.channels().get(0).id());
        assertTrue(t.out().lines().anyMatch(l -> l.matches("max kbps +512 per side")), t.out());
        assertTrue(t.out().lines().anyMatch(l -> l.matches("max pps +1,000 per side")), t.out());
    }

    @Test
    void noCapIsNone() {
        start(Map.of());
        shell.run("relay:allocate carol@example.com");
        Transcript t = shell.run("relay:channel " + core.channels().get(0).id());
        assertTrue(t.out().lines().anyMatch(l -> l.matches("max kbps +none")), t.out());
        assertTrue(t.out().lines().anyMatch(l -> l.matches("max pps +none")), t.out());
        assertTrue(t.out().lines().noneMatch(l -> l.startsWith("host A") || l.startsWith("host B")), t.out());
    }
}
