package relay.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import relay.api.BareJid;
import relay.api.RelayChannel;

class ChannelTableTest {

    @Test
    void oneAlignedLinePerChannelNewestFirstThenACount() {
        RelayChannel old = Samples.active();
        RelayChannel young = Samples.waiting("Bx8", "bob@example.com", 25010, Duration.ofSeconds(7), Duration.ofSeconds(7));
        String text = ChannelTable.render(new ChannelList(List.of(old, young), null), Samples.NOW);
        assertEquals("""
                ID                      OWNER              STATE    RELAY A<->B              PEER A           PEER B              AGE  IDLE  PKTS A->B  BYTES A->B  PKTS B->A  BYTES B->A  DROPPED
                Bx8                     bob@example.com    waiting  127.0.0.1:25010<->25012  -                -                    7s    7s          0         0 B          0         0 B        0
                Zq3xYk7P-a_9LmN2bV8wQc  alice@example.com  active   127.0.0.1:25000<->25002  127.0.0.1:40000  127.0.0.1:41000  3m 05s    2s     12,345      1.2 MB     12,001      1.2 MB        4
                2 channels
                """, text);
    }

    @Test
    void anEmptyListSaysSoInsteadOfAnEmptyTable() {
        assertEquals("No channels.\n", ChannelTable.render(new ChannelList(List.of(), null), Samples.NOW));
        assertEquals("No channels of carol@example.com.\n",
                ChannelTable.render(new ChannelList(List.of(), BareJid.parse("carol@example.com")), Samples.NOW));
    }

    @Test
    void aFilteredListNamesItsOwnerInTheCount() {
        RelayChannel c = Samples.waiting("Bx8", "bob@example.com", 25010, Duration.ZERO, Duration.ZERO);
        String text = ChannelTable.render(new ChannelList(List.of(c), BareJid.parse("bob@example.com")), Samples.NOW);
        assertEquals("1 channel of bob@example.com\n", text.lines().reduce((a, b) -> b).orElseThrow() + "\n");
    }

    @Test
    void theListSortsNewestFirstWhateverOrderItIsGiven() {
        RelayChannel a = Samples.waiting("a", "u@example.com", 25000, Duration.ofSeconds(30), Duration.ZERO);
        RelayChannel b = Samples.waiting("b", "u@example.com", 25004, Duration.ofSeconds(10), Duration.ZERO);
        RelayChannel c = Samples.waiting("c", "u@example.com", 25008, Duration.ofSeconds(20), Duration.ZERO);
        assertEquals(List.of(b, c, a), new ChannelList(List.of(a, b, c), null));
    }

    @Test
    void aChannelInOneLineShowsWhoWhatAndWhere() {
        assertEquals("Zq3xYk7P-a_9LmN2bV8wQc  alice@example.com  active  127.0.0.1:25000<->25002",
                ChannelTable.line(Samples.active()));
    }

    @Test
    void anIpv6HostIsBracketed() {
        RelayChannel c = Samples.active();
        RelayChannel v6 = RelayChannel.builder(c).host("::1").build();
        assertEquals("[::1]:25000<->25002", ChannelTable.ports(v6));
    }
}
