package relay.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

import relay.api.ChannelRequest;
import relay.api.ChannelState;
import relay.api.DestroyReason;
import relay.api.DropReason;
import relay.api.RelayChannel;
import relay.api.RelayService;
import relay.api.Side;
import relay.api.spi.ChannelListener;
import relay.itest.ChannelEvents.Event;
import relay.itest.ChannelEvents.Kind;

/**
 * Scenario 1: the relay as a service for other bundles. This class's bundle (the Pax Exam probe)
 * plays a signalling bundle: it knows relay.api (and its relay.api.spi) only, finds {@link RelayService} in the service
 * registry, allocates a channel, sends real datagrams through it both ways and destroys it, while
 * its own {@link ChannelListener} service hears the channel's life.
 */
public class RelayServiceIT extends ContainerTest {

    private RelayService relay;

    @Before
    public void startRelay() {
        relay = TestRelay.start(context);
    }

    @After
    public void emptyRelay() {
        TestRelay.destroyAll(relay);
    }

    @Test
    public void aConsumerBundleAllocatesForwardsBothWaysAndDestroys() throws Exception {
        try (ChannelEvents events = ChannelEvents.register(context)) {
            RelayChannel channel = relay.allocate(ChannelRequest.of("Alice@Example.com/phone"));

            assertEquals("alice@example.com", channel.owner().toString());
            assertEquals("127.0.0.1", channel.host());
            assertTrue(channel.toString(), TestRelay.inRange(channel.portA()) && TestRelay.inRange(channel.portB()));
            assertNotEquals(channel.portA(), channel.portB());
            assertTrue("RTP on even ports, RTCP above: " + channel, channel.portA() % 2 == 0
                    && channel.sideA().rtcpPort() == channel.portA() + 1 && channel.sideB().rtcpPort() == channel.portB() + 1);
            assertEquals(ChannelState.WAITING, channel.state());
            events.await(Kind.CREATED, channel.id(), null);

            try (ChannelPeers peers = new ChannelPeers(channel)) {
                peers.latch(relay);
                peers.assertForwardsBothWays();

                events.await(Kind.LATCHED, channel.id(), Side.A);
                events.await(Kind.LATCHED, channel.id(), Side.B);
                RelayChannel live = relay.channel(channel.id()).orElseThrow();
                assertEquals(ChannelState.ACTIVE, live.state());
                assertEquals(List.of(channel.id()), relay.channels(channel.owner()).stream().map(RelayChannel::id).toList());

                assertTrue(relay.destroy(channel.id()).isPresent());
                assertFalse("destroyed channels are gone", relay.channel(channel.id()).isPresent());

                Event destroyed = events.await(Kind.DESTROYED, channel.id(), DestroyReason.REQUESTED);
                RelayChannel last = destroyed.channel();
                // A's latching datagram had no B to go to; then one A->B, and B's first plus one B->A
                assertEquals("A->B forwarded " + last.aToB(), 1, last.aToB().packets());
                assertEquals("A->B dropped before B latched " + last.aToB(), 1, last.aToB().dropped(DropReason.NOT_LATCHED));
                assertEquals("B->A forwarded " + last.bToA(), 2, last.bToA().packets());
            }
            List<Kind> order = events.of(channel.id()).stream().map(Event::kind).toList();
            assertEquals("events in the order they happened", List.of(Kind.CREATED, Kind.LATCHED, Kind.LATCHED, Kind.DESTROYED), order);
        }
    }

    @Test
    public void aListenerServiceThatIsUnregisteredHearsNoMore() throws Exception {
        try (ChannelEvents stays = ChannelEvents.register(context)) {
            ChannelEvents leaves = ChannelEvents.register(context);
            RelayChannel heard = relay.allocate(ChannelRequest.of("bob@example.com"));
            leaves.await(Kind.CREATED, heard.id(), null);
            leaves.close();

            RelayChannel unheard = relay.allocate(ChannelRequest.of("bob@example.com"));
            relay.destroy(unheard.id());
            // the relay delivers events in order: once 'stays' heard the end, 'leaves' would have heard it too
            stays.await(Kind.DESTROYED, unheard.id(), DestroyReason.REQUESTED);
            assertEquals(List.of(), leaves.of(unheard.id()));
            assertEquals(List.of(Kind.CREATED), leaves.of(heard.id()).stream().map(Event::kind).toList());
        }
    }

    @Test
    public void theConsumerIsWiredToRelayApiOnly() throws Exception {
        relay.stats(); // uses relay.api types, so the dynamic import is wired
        ChannelListener.class.getName(); // and relay.api.spi, as a bundle that registers a listener
        Set<String> relayPackages = context.getBundle().adapt(BundleWiring.class)
                .getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE).stream()
                .filter(w -> packageName(w).startsWith("relay.") && !packageName(w).equals("relay.testing")) // the tests' own helpers
                .map(w -> packageName(w) + " from " + w.getProvider().getSymbolicName())
                .collect(Collectors.toSet());
        assertEquals(Set.of("relay.api from relay.api", "relay.api.spi from relay.api"), relayPackages);
        assertSame("RelayService is relay.api's type", RelayService.class,
                context.getServiceReference(RelayService.class).getBundle().loadClass(RelayService.class.getName()));
        try {
            context.getBundle().loadClass("relay.core.RelayCore");
            fail("the core's classes are private to relay.core");
        } catch (ClassNotFoundException expected) {
            // what a consumer bundle gets: only the API is exported
        }
    }

    private static String packageName(BundleWire wire) {
        return (String) wire.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE);
    }
}
