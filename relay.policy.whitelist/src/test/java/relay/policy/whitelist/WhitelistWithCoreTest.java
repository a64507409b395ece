package relay.policy.whitelist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import relay.api.ChannelRequest;
import relay.api.DestroyReason;
import relay.api.RelayChannel;
import relay.api.RelayDeniedException;
import relay.api.spi.ChannelListener;
import relay.core.RelayCore;
import relay.core.RelayCoreConfig;
import relay.testing.CapturedLog;
import relay.testing.ComponentConfig;
import relay.testing.Poll;
import relay.testing.UdpPeer;

/** The whitelist bound to the real relay, over real UDP sockets on loopback (ports 24000-24299). */
class WhitelistWithCoreTest {

    private static final int PATIENCE_MS = 10_000;

    private final CapturedLog log = new CapturedLog(WhitelistPolicy.PID);
    private final RelayCore core = new RelayCore();
    private final WhitelistPolicy policy = new WhitelistPolicy();
    private final Map<String, DestroyReason> destroyed = new ConcurrentHashMap<>();

    @BeforeEach
    void start() {
        core.activate(ComponentConfig.of(RelayCoreConfig.class, Map.of("bind.address", "127.0.0.1",
                "public.address", "127.0.0.1", "port.min", 24000, "port.max", 24299, "io.threads", 1)));
        core.bindListener(new ChannelListener() {
            @Override
            public void destroyed(RelayChannel channel, DestroyReason reason, Duration duration) {
                destroyed.put(channel.id(), reason);
            }
        });
        policy.relay = core;
        policy.activate(config(Map.of("domains", "example.com, *.example.org")));
        core.bindPolicy(policy, Map.of("service.id", 1L));
    }

    @AfterEach
    void stop() {
        core.deactivate();
        log.close();
    }

    /** The configuration as DS hands it to the component. */
    private static WhitelistConfig config(Map<String, ?> properties) {
        return ComponentConfig.of(WhitelistConfig.class, properties);
    }

    private RelayChannel allocate(String jid) throws RelayDeniedException {
        return core.allocate(ChannelRequest.of(jid).withOrigin("test"));
    }

    @Test
    void anAllowedDomainGetsAChannelThatForwardsBothWays() throws Exception {
        RelayChannel channel = allocate("alice@Example.COM/phone");
        assertEquals("alice@example.com", channel.owner().toString());
        assertEquals(UdpPeer.LOOPBACK.getHostAddress(), channel.host());
        try (UdpPeer alice = new UdpPeer(); UdpPeer bob = new UdpPeer()) {
            // Alice latches side A first, so that Bob's datagram has somewhere to go.
            alice.send(channel.portA(), "latch");
            assertTrue(Poll.eventually(() -> core.channel(channel.id()).orElseThrow().sideA().latched()));
            bob.send(channel.portB(), "to alice");
            assertEquals("to alice", receive(alice));
            alice.send(channel.portA(), "to bob");
            assertEquals("to bob", receive(bob));
        }
    }

    @Test
    void aRefusedDomainIsDeniedByNameAndHoldsNothing() throws Exception {
        RelayDeniedException e = assertThrows(RelayDeniedException.class, () -> allocate("eve@evil.example"));
        assertEquals(RelayDeniedException.Reason.POLICY, e.reason());
        assertEquals("whitelist", e.policy());
        assertEquals("domain evil.example is not on the whitelist", e.getMessage());
        assertTrue(core.channels().isEmpty());
        assertThrows(RelayDeniedException.class, () -> allocate("bob@example.org"));
        assertTrue(allocate("bob@a.b.example.org").id().length() > 0);
    }

    @Test
    void anUpdateDecidesTheVeryNextRequestAndKeepsLiveChannels() throws Exception {
        assertThrows(RelayDeniedException.class, () -> allocate("eve@evil.example"));
        policy.modified(config(Map.of("domains", "evil.example")));
        RelayChannel eve = allocate("eve@evil.example");
        policy.modified(config(Map.of("domains", "example.com")));
        RelayChannel alice = allocate("alice@example.com");
        assertThrows(RelayDeniedException.class, () -> allocate("eve@evil.example"));
        // Without revoke, a removed domain's channel runs until it ends.
        assertTrue(core.channel(eve.id()).isPresent());
        assertTrue(core.channel(alice.id()).isPresent());
        assertTrue(destroyed.isEmpty());
    }

    @Test
    void anInvalidUpdateLeavesThePreviousListDeciding() throws Exception {
        policy.modified(config(Map.of("domains", "evil.example, bad..domain")));
        assertEquals(1, log.messages(java.util.logging.Level.SEVERE).size());
        allocate("alice@example.com");
        assertThrows(RelayDeniedException.class, () -> allocate("eve@evil.example"));
    }

    @Test
    void withRevokeARemovedDomainLosesItsLiveChannels() throws Exception {
        policy.modified(config(Map.of("domains", "example.com, *.example.org", "revoke", "true")));
        RelayChannel alice = allocate("alice@example.com");
        RelayChannel alice2 = allocate("alice@example.com");
        RelayChannel bob = allocate("bob@a.example.org");
        policy.modified(config(Map.of("domains", "*.example.org", "revoke", "true"))); // hands the destroys over
        assertTrue(Poll.eventually(() -> core.channel(alice.id()).isEmpty()));
        assertTrue(Poll.eventually(() -> core.channel(alice2.id()).isEmpty()));
        assertTrue(core.channel(bob.id()).isPresent());
        assertTrue(Poll.eventually(() -> destroyed.size() == 2), destroyed.toString());
        assertEquals(DestroyReason.REVOKED, destroyed.get(alice.id()));
        assertEquals(DestroyReason.REVOKED, destroyed.get(alice2.id()));
    }

    @Test
    void withoutThePolicyTheNextRequestPasses() throws Exception {
        core.unbindPolicy(policy, Map.of("service.id", 1L));
        allocate("eve@evil.example");
        core.bindPolicy(policy, Map.of("service.id", 1L));
        assertThrows(RelayDeniedException.class, () -> allocate("eve@evil.example"));
    }

    private static String receive(UdpPeer peer) throws IOException {
        return UdpPeer.text(peer.receivePacket(PATIENCE_MS));
    }
}
