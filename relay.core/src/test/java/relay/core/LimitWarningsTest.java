package relay.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.List;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import relay.testing.CapturedLog;

/**
 * One warning line, at start and on every change, when the process's descriptor limit or the
 * port range cannot hold {@code max.channels}; none when they can.
 */
class LimitWarningsTest {

    private final CapturedLog log = new CapturedLog("relay.core.limits");
    private RelayCore core;

    @AfterEach
    void stop() {
        if (core != null) {
            core.deactivate();
        }
        log.close();
    }

    /** A core whose log is {@link #log}, as DS injects the Log Service's logger before activation. */
    private RelayCore start(int maxChannels) throws Exception {
        RelayCore c = new RelayCore();
        Field logger = RelayCore.class.getDeclaredField("logger");
        logger.setAccessible(true);
        logger.set(c, log.logger());
        // 20 ports: 5 channels with RTCP
        c.activate(Relays.typed(Relays.config(21620, 21639, "max.channels", maxChannels)));
        return c;
    }

    private List<String> warnings() {
        return log.messages(Level.WARNING);
    }

    @Test
    void aPortRangeTooSmallForMaxChannelsIsWarnedAtStartAndOnChange() throws Exception {
        core = start(5);
        assertEquals(List.of(), warnings(), "5 channels fit in 20 ports");
        core.modified(Relays.typed(Relays.config(21620, 21639, "max.channels", 6)));
        assertEquals(List.of("the port range 21620..21639 holds 5 channels, fewer than max.channels=6"), warnings());
    }

    @Test
    void aDescriptorLimitTooLowForMaxChannelsIsWarnedNamingTheLimit() throws Exception {
        long limit = FileDescriptors.limit();
        assertTrue(limit > 0 && limit < Integer.MAX_VALUE / 4, "this process's open-file limit reads as a number: " + limit);
        int fits = (int) ((limit - 256) / 4);
        core = start(fits);
        assertTrue(warnings().stream().noneMatch(w -> w.contains("files")), "4 × " + fits + " + 256 ≤ " + limit + ": " + warnings());
        int tooMany = fits + 1;
        core.modified(Relays.typed(Relays.config(21620, 21639, "max.channels", tooMany)));
        assertTrue(warnings().contains("the process may open " + limit + " files, fewer than the " + (4L * tooMany + 256)
                + " that max.channels=" + tooMany + " needs (4 per channel + 256): raise the limit (ulimit -n)"
                + " or expect denials with reason RESOURCES"), warnings().toString());
    }
}
