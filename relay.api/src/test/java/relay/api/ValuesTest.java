package relay.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The value types: what their builders and factories check, default, copy, and compare. */
class ValuesTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40000);

    private static RelayChannel.Builder channel() {
        return RelayChannel.builder().id("c1").owner(BareJid.parse("alice@example.com")).host("127.0.0.1")
                .rtcp(true).sideA(ChannelSide.of(10000, 10001, PEER, null)).sideB(ChannelSide.of(10002, 10003, null, null))
                .created(T).lastActivity(T.plusSeconds(5)).expire(60).state(ChannelState.HALF_LATCHED)
                .aToB(Traffic.of(3, 300, Map.of(DropReason.NOT_LATCHED, 1L))).bToA(Traffic.NONE);
    }

    @Test
    void aChannelIsItsValuesAndTheDerivedPortsFollowTheSides() {
        RelayChannel c = channel().build();
        assertEquals("c1", c.id());
        assertEquals(10000, c.portA());
        assertEquals(10002, c.portB());
        assertEquals(c.sideB(), c.side(Side.B));
        assertTrue(c.sideA().latched());
        assertEquals(channel().build(), c);
        assertEquals(channel().build().hashCode(), c.hashCode());
        assertNotEquals(channel().expire(61).build(), c);
        assertEquals(c, RelayChannel.builder(c).build());
        assertEquals("::1", RelayChannel.builder(c).host("::1").build().host());
        assertTrue(c.toString().startsWith("RelayChannel[id=c1, owner=alice@example.com, host=127.0.0.1, rtcp=true, "),
                c.toString());
    }

    @Test
    void aChannelNeedsItsMandatoryValuesAndDefaultsTheOthers() {
        for (String missing : List.of("id", "owner", "host", "sideA", "sideB", "created", "state")) {
            RelayChannel.Builder b = RelayChannel.builder();
            if (!missing.equals("id")) b.id("c1");
            if (!missing.equals("owner")) b.owner(BareJid.parse("alice@example.com"));
            if (!missing.equals("host")) b.host("127.0.0.1");
            if (!missing.equals("sideA")) b.sideA(ChannelSide.of(10000, 0, null, null));
            if (!missing.equals("sideB")) b.sideB(ChannelSide.of(10002, 0, null, null));
            if (!missing.equals("created")) b.created(T);
            if (!missing.equals("state")) b.state(ChannelState.WAITING);
            NullPointerException e = assertThrows(NullPointerException.class, b::build, missing);
            assertEquals(missing, e.getMessage());
        }
        RelayChannel c = channel().build();
        RelayChannel.Builder minimal = RelayChannel.builder().id(c.id()).owner(c.owner()).host(c.host())
                .sideA(c.sideA()).sideB(c.sideB()).created(T).state(ChannelState.WAITING);
        RelayChannel d = minimal.build();
        assertEquals(T, d.lastActivity());
        assertEquals(Traffic.NONE, d.aToB());
        assertEquals(Traffic.NONE, d.bToA());
        assertEquals(false, d.rtcp());
        assertEquals(0, d.expire());
        assertEquals("aToB", assertThrows(NullPointerException.class, () -> minimal.aToB(null)).getMessage());
        assertEquals("lastActivity",
                assertThrows(NullPointerException.class, () -> minimal.lastActivity(null)).getMessage());
    }

    @Test
    void trafficLeavesOutZerosKeepsReasonOrderAndAddsUp() {
        Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
        drops.put(DropReason.SEND_ERROR, 2L);
        drops.put(DropReason.LOOP, 0L);
        drops.put(DropReason.NOT_LATCHED, 1L);
        Traffic t = Traffic.of(10, 1000, drops);
        drops.put(DropReason.LOOP, 9L);
        assertEquals(List.of(DropReason.NOT_LATCHED, DropReason.SEND_ERROR), List.copyOf(t.dropped().keySet()));
        assertEquals(3, t.droppedTotal());
        assertEquals(0, t.dropped(DropReason.LOOP));
        assertThrows(UnsupportedOperationException.class, () -> t.dropped().put(DropReason.LOOP, 1L));
        Traffic sum = t.plus(Traffic.of(1, 100, Map.of(DropReason.SEND_ERROR, 1L)));
        assertEquals(Traffic.of(11, 1100, Map.of(DropReason.NOT_LATCHED, 1L, DropReason.SEND_ERROR, 3L)), sum);
        assertEquals(t, t.plus(Traffic.NONE));
        assertEquals(Traffic.NONE, Traffic.of(0, 0, Map.of(DropReason.LOOP, 0L)));
        assertEquals("Traffic[packets=0, bytes=0, dropped={}]", Traffic.NONE.toString());
    }

    @Test
    void statsNeedAStartDefaultTheRestAndCopyTheirMaps() {
        assertEquals("started", assertThrows(NullPointerException.class, () -> RelayStats.builder().build()).getMessage());
        RelayStats empty = RelayStats.builder().started(T).build();
        assertEquals(Map.of(), empty.destroyed());
        assertEquals(Map.of(), empty.denied());
        assertEquals(Traffic.NONE, empty.forwarded());
        assertEquals(0, empty.ioLoopFaults());

        Map<DestroyReason, Long> destroyed = new EnumMap<>(DestroyReason.class);
        destroyed.put(DestroyReason.FAULT, 2L);
        destroyed.put(DestroyReason.REQUESTED, 0L);
        RelayStats s = RelayStats.builder().started(T).liveChannels(1).allocated(3).destroyed(destroyed)
                .denied(Map.of(RelayDeniedException.Reason.CAPACITY, 1L)).invalid(4).forwarded(Traffic.of(1, 2, Map.of()))
                .portsFree(5).portsTotal(6).draining(true).maxChannels(7).ioLoopFaults(1).build();
        destroyed.put(DestroyReason.EXPIRED, 9L);
        assertEquals(List.of(DestroyReason.REQUESTED, DestroyReason.FAULT), List.copyOf(s.destroyed().keySet()));
        assertEquals(2L, s.destroyed().get(DestroyReason.FAULT));
        assertEquals(1, s.ioLoopFaults());
        assertThrows(UnsupportedOperationException.class, () -> s.denied().clear());
        assertEquals(s, RelayStats.builder().started(T).liveChannels(1).allocated(3)
                .destroyed(Map.of(DestroyReason.FAULT, 2L, DestroyReason.REQUESTED, 0L))
                .denied(Map.of(RelayDeniedException.Reason.CAPACITY, 1L)).invalid(4).forwarded(Traffic.of(1, 2, Map.of()))
                .portsFree(5).portsTotal(6).draining(true).maxChannels(7).ioLoopFaults(1).build());
        assertNotEquals(s, RelayStats.builder().started(T).build());
    }

    @Test
    void aRequestNeedsAUserAndHasAnOrigin() {
        ChannelRequest r = ChannelRequest.of("Alice@Example.com/phone");
        assertEquals(BareJid.parse("alice@example.com"), r.user());
        assertEquals("", r.origin());
        assertEquals(ChannelRequest.of(r.user(), "shell"), r.withOrigin("shell"));
        assertEquals("", ChannelRequest.of(r.user(), null).origin());
        assertEquals("user", assertThrows(NullPointerException.class, () -> ChannelRequest.of(null, "x")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ChannelRequest.of("@example.com"));
        assertEquals("ChannelRequest[user=alice@example.com, origin=shell]", r.withOrigin("shell").toString());
    }
}
