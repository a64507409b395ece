package relay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelFileTest {

    @Test
    void readsPortPairsSkippingCommentsAndExtraColumns() {
        List<RelayClient.Channel> c = ChannelFile.parse(List.of("# limitfwd", "20000 20001", "", "20002 20003 61002 61003",
                "20004 20005 # third"), 2, "flows.txt");
        assertEquals(2, c.size());
        assertEquals(20_000, c.get(0).a().getPort());
        assertEquals(20_001, c.get(0).b().getPort());
        assertEquals(20_003, c.get(1).b().getPort());
        assertTrue(c.get(1).a().getAddress().isLoopbackAddress());
    }

    @Test
    void tooFewOrBadLinesAreNamed() {
        IllegalArgumentException few = assertThrows(IllegalArgumentException.class,
                () -> ChannelFile.parse(List.of("20000 20001"), 2, "f"));
        assertTrue(few.getMessage().contains("holds 1 channels"), few.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> ChannelFile.parse(List.of("20000 x"), 1, "f"));
        assertTrue(bad.getMessage().startsWith("f:1:"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ChannelFile.parse(List.of("20000"), 1, "f"));
        assertThrows(IllegalArgumentException.class, () -> ChannelFile.parse(List.of("0 70000"), 1, "f"));
    }
}
