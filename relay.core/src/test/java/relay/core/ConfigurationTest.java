package relay.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import relay.api.ChannelRequest;
import relay.api.RelayChannel;
import relay.testing.UdpPeer;

class ConfigurationTest {

    @Test
    void defaultsAreThoseOfTheDesign() {
        CoreConfig c = Relays.parse(Map.of());
        assertTrue(c.bindAddress().isAnyLocalAddress());
        assertEquals(10000, c.portMin());
        assertEquals(20000, c.portMax());
        assertTrue(c.rtcp());
        assertEquals(60, c.idleTimeoutSeconds());
        assertEquals(10000, c.maxChannels());
        assertEquals(CoreConfig.Latching.STRICT, c.latching());
        assertTrue(c.latchConnect(), "latched sockets are connected by default");
        assertEquals(2000, c.handoverQuietMs());
        assertEquals(Runtime.getRuntime().availableProcessors(), c.ioThreads());
        assertFalse(c.publicAddress().isBlank());
    }

    @Test
    void stringsFromCfgFilesAreRead() {
        CoreConfig c = Relays.parse(Map.of("port.min", "30000", "port.max", " 30100", "rtcp", "false",
                "latching", "HANDOVER", "bind.address", "127.0.0.1", "public.address", "localhost"));
        assertEquals(30000, c.portMin());
        assertEquals(30100, c.portMax());
        assertFalse(c.rtcp());
        assertEquals(CoreConfig.Latching.HANDOVER, c.latching());
        assertEquals("localhost", c.publicAddress());
    }

    @Test
    void invalidValuesAreRefusedNamingKeyAndValue() {
        assertMessage("port.min (20001) is greater than port.max (20000)", Map.of("port.min", 20001));
        assertMessage("invalid port.max=70000: must be between 1 and 65535", Map.of("port.max", 70000));
        assertMessage("invalid port.min=0", Map.of("port.min", "0"));
        assertMessage("invalid idle.timeout=-5", Map.of("idle.timeout", -5));
        assertMessage("invalid max.channels=lots: not a whole number", Map.of("max.channels", "lots"));
        assertMessage("invalid rtcp=maybe", Map.of("rtcp", "maybe"));
        assertMessage("invalid latching=loose", Map.of("latching", "loose"));
        assertMessage("invalid latch.connect=sometimes", Map.of("latch.connect", "sometimes"));
        assertMessage("invalid bind.address=192.0.2.77: not an address of this host", Map.of("bind.address", "192.0.2.77"));
        assertMessage("invalid handover.quiet.ms=-1", Map.of("handover.quiet.ms", -1));
        assertMessage("holds no even/odd RTP/RTCP pair", Map.of("port.min", 30001, "port.max", 30002));
        assertMessage("invalid idle.timeout=2.5: not a whole number", Map.of("idle.timeout", 2.5));
        assertMessage("invalid max.channels=99999999999: must be between", Map.of("max.channels", 99_999_999_999L));
        assertMessage("invalid bind.address=: an address is required", Map.of("bind.address", ""));
        assertMessage("invalid public.address=no-such-host.invalid: not an IP address", Map.of("public.address", "no-such-host.invalid"));
        assertMessage("invalid public.address=relay example: not an IP address or a host name", Map.of("public.address", "relay example"));
        assertMessage("invalid handover.quiet.ms=99: must be between 100", Map.of("handover.quiet.ms", 99));
        assertMessage("invalid scan.guard.ports=-1", Map.of("scan.guard.ports", -1));
        assertMessage("invalid scan.guard.exempt=sbc.example.com: not an IP address or prefix",
                Map.of("scan.guard.exempt", "10.0.0.0/8, sbc.example.com"));
        assertMessage("invalid scan.guard.exempt=10.1: not an IP address or prefix", Map.of("scan.guard.exempt", "10.1"));
        assertMessage("invalid scan.guard.exempt=10.0.0.0/33: a prefix length must be 0 to 32",
                Map.of("scan.guard.exempt", "10.0.0.0/33"));
        assertMessage("invalid scan.guard.exempt=::1/129: a prefix length must be 0 to 128", Map.of("scan.guard.exempt", "::1/129"));
        assertMessage("invalid listener.queue=0", Map.of("listener.queue", 0));
    }

    @Test
    void flagsReadOnAndOffAsMeant() {
        assertFalse(Relays.parse(Map.of("rtcp", "off")).rtcp());
        assertFalse(Relays.parse(Map.of("latch.connect", "false")).latchConnect());
        assertTrue(Relays.parse(Map.of("rtcp", " Yes ")).rtcp());
        assertEquals(4, Relays.parse(Map.of("io.threads", " 4 ")).ioThreads());
        assertEquals(java.util.List.of("whitelist", "quota"), Relays.parse(Map.of("required.policies", "whitelist, quota")).requiredPolicies());
        assertEquals(java.util.List.of("a", "b"), Relays.parse(Map.of("required.policies", new String[] {"a", "b"})).requiredPolicies());
    }

    @Test
    void anInvalidUpdateKeepsThePreviousConfigurationAndTheChannels() throws Exception {
        ManualClock clock = new ManualClock();
        RelayCore core = Relays.start(Relays.config(21900, 21999, "idle.timeout", 120), clock);
        try {
            RelayChannel ch = core.allocate(ChannelRequest.of("alice@example.com"));
            core.modified(Relays.typed(Relays.config(22000, 21000, "idle.timeout", 1))); // min > max: refused as a whole
            clock.advance(java.time.Duration.ofMillis(1500));
            Thread.sleep(600); // two sweeps of the conductor
            assertTrue(core.channel(ch.id()).isPresent(), "idle.timeout=1 of the refused update did not apply");
            assertEquals(120, core.channel(ch.id()).orElseThrow().expire());
            RelayChannel next = core.allocate(ChannelRequest.of("bob@example.com"));
            assertTrue(next.portA() >= 21900 && next.portA() <= 21999, "the old port range holds");

            core.modified(Relays.typed(Relays.config(21900, 21999, "idle.timeout", 90, "rtcp", "false")));
            assertEquals(90, core.channel(ch.id()).orElseThrow().expire(), "a valid update applies");
            assertTrue(core.channel(ch.id()).orElseThrow().rtcp(), "a live channel keeps its ports");
            assertFalse(core.allocate(ChannelRequest.of("carol@example.com")).rtcp(), "new channels get the new layout");
        } finally {
            core.deactivate();
        }
    }

    @Test
    void ioThreadsApplyAtOnceWhileNoChannelLivesAndOnRestartOtherwise() throws Exception {
        RelayCore core = Relays.start(Relays.config(21950, 21999, "io.threads", 2));
        try {
            java.util.List<Thread> first = core.ioThreads();
            core.modified(Relays.typed(Relays.config(21950, 21999, "io.threads", 1)));
            assertEquals(1, core.ioThreads().size(), "no channel lives: the loops are replaced at once");
            assertTrue(Relays.eventually(() -> first.stream().noneMatch(Thread::isAlive)), "the old loops ended");
            RelayChannel ch = core.allocate(ChannelRequest.of("alice@example.com"));
            core.modified(Relays.typed(Relays.config(21950, 21999, "io.threads", 3)));
            assertEquals(1, core.ioThreads().size(), "a live channel keeps its loop");
            try (UdpPeer a = new UdpPeer(); UdpPeer b = new UdpPeer()) {
                ForwardingTest.latch(a, ch.portA(), b, ch.portB());
            }
        } finally {
            core.deactivate();
        }
        assertThrows(IllegalStateException.class, core::channels, "a stopped relay answers nothing");
    }

    @Test
    void anInvalidInitialConfigurationDoesNotStartTheRelay() {
        RelayCore core = new RelayCore();
        assertThrows(IllegalArgumentException.class, () -> core.activate(Relays.typed(Map.of("port.min", "abc"))));
        assertThrows(IllegalStateException.class, () -> core.allocate(ChannelRequest.of("a@b.example")));
    }

    private static void assertMessage(String expected, Map<String, Object> config) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Relays.parse(config));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
