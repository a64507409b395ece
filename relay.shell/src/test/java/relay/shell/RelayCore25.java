package relay.shell;

import java.util.Map;
import java.util.function.BooleanSupplier;

import relay.core.RelayCore;
import relay.core.RelayCoreConfig;
import relay.testing.ComponentConfig;

/** Real relay cores on loopback for the shell tests, in this module's port range 25000-25999. */
final class RelayCore25 {

    private RelayCore25() {
    }

    /** A core on 127.0.0.1 using ports {@code portMin..portMin+99}, RTP and RTCP, 60 s idle timeout. */
    static RelayCore start(int portMin) {
        if (portMin < 25000 || portMin + 99 > 25999) {
            throw new IllegalArgumentException("relay.shell tests use ports 25000-25999 only, not " + portMin);
        }
        RelayCore core = new RelayCore();
        core.activate(ComponentConfig.of(RelayCoreConfig.class, Map.of("bind.address", "127.0.0.1", "public.address", "127.0.0.1", "port.min", portMin,
                "port.max", portMin + 99, "io.threads", 1, "idle.timeout", 60)));
        return core;
    }

    /** The same core with {@code extra} configuration on top (bind.address6, max.kbps, ...). */
    static RelayCore start(int portMin, Map<String, Object> extra) {
        if (portMin < 25000 || portMin + 99 > 25999) {
            throw new IllegalArgumentException("relay.shell tests use ports 25000-25999 only, not " + portMin);
        }
        Map<String, Object> config = new java.util.HashMap<>(Map.of("bind.address", "127.0.0.1", "public.address",
                "127.0.0.1", "port.min", portMin, "port.max", portMin + 99, "io.threads", 1, "idle.timeout", 60));
        config.putAll(extra);
        RelayCore core = new RelayCore();
        core.activate(ComponentConfig.of(RelayCoreConfig.class, config));
        return core;
    }

    /** Polls until {@code condition} holds, for at most 10 s; tells whether it held. */
    static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
