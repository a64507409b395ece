package relay.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;

import org.apache.felix.service.command.Converter;
import org.junit.jupiter.api.Test;

import relay.api.RelayChannel;
import relay.api.RelayStats;
import relay.api.Traffic;

class RelayConverterTest {

    private final RelayConverter converter = new RelayConverter(Clock.fixed(Samples.NOW, ZoneOffset.UTC));
    private final RelayChannel channel = Samples.active();

    @Test
    void otherTypesAreLeftToOtherConverters() {
        assertNull(converter.format("text", Converter.INSPECT, null));
        assertNull(converter.format(List.of(channel), Converter.INSPECT, null));
        assertNull(converter.format(42, Converter.LINE, null));
        assertNull(converter.convert(RelayChannel.class, channel.id()));
    }

    @Test
    void inspectShowsTheFullViewWithoutAFinalLineBreakSinceTheConsoleAddsOne() {
        assertEquals(ChannelDetails.render(channel, Samples.NOW), converter.format(channel, Converter.INSPECT, null) + "\n");
        ChannelList list = new ChannelList(List.of(channel), null);
        assertEquals(ChannelTable.render(list, Samples.NOW), converter.format(list, Converter.INSPECT, null) + "\n");
        Allocation a = new Allocation(channel);
        assertEquals(AllocationReport.render(a), converter.format(a, Converter.INSPECT, null) + "\n");
        PolicyList p = new PolicyList(List.of(new PolicyInfo(1, 0, "whitelist", "domains a.example")));
        assertEquals(PolicyTable.render(p), converter.format(p, Converter.INSPECT, null) + "\n");
        DrainMode m = new DrainMode(true, 2);
        assertEquals(Messages.drain(m), converter.format(m, Converter.INSPECT, null));
        Destruction d = new Destruction(channel, Samples.NOW);
        assertEquals(Messages.destroyed(d), converter.format(d, Converter.INSPECT, null));
    }

    @Test
    void lineIsOneLineForUseInsideOtherOutput() {
        RelayStats stats = RelayStats.builder().started(Samples.NOW.minus(Duration.ofMinutes(5))).liveChannels(1)
                .allocated(2).forwarded(Traffic.NONE).portsFree(8).portsTotal(10).maxChannels(10).build();
        assertEquals("up 5m 00s, 1 live, 2 allocated, 0 B forwarded", converter.format(stats, Converter.LINE, null));
        assertEquals(ChannelTable.line(channel), converter.format(channel, Converter.LINE, null));
        assertEquals(ChannelTable.line(channel), converter.format(new Allocation(channel), Converter.LINE, null));
        assertEquals("1 channel of alice@example.com", converter.format(
                new ChannelList(List.of(channel), channel.owner()), Converter.LINE, null));
        assertEquals("0 policies", converter.format(new PolicyList(List.of()), Converter.LINE, null));
    }

    @Test
    void partIdentifiesTheValue() {
        assertEquals(channel.id(), converter.format(channel, Converter.PART, null));
        assertEquals(channel.id(), converter.format(new Allocation(channel), Converter.PART, null));
        assertEquals(channel.id(), converter.format(new Destruction(channel, Samples.NOW), Converter.PART, null));
        assertEquals("off", converter.format(new DrainMode(false, 0), Converter.PART, null));
    }

    @Test
    void anUnknownLevelIsRefusedAsTheConverterContractSays() {
        assertThrows(IllegalArgumentException.class, () -> converter.format(channel, 7, null));
    }
}
