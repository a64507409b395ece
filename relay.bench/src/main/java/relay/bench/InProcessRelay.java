package relay.bench;

import java.io.Closeable;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import relay.api.ChannelRequest;
import relay.api.RelayDeniedException;
import relay.core.RelayCore;
import relay.core.RelayCoreConfig;
import relay.testing.ComponentConfig;

/**
 * A real relay core in the bench's own JVM, activated as Declarative Services would activate it
 * (its configuration through {@link ComponentConfig}), with no policy bound: what
 * {@code RelayService} costs a bundle that calls it, without REST, JSON or another process.
 * Loopback only, ports {@link BenchOptions#INPROCESS_PORT_MIN}-{@link BenchOptions#INPROCESS_PORT_MAX}
 * without RTCP.
 */
final class InProcessRelay implements Closeable, AllocRate.Allocator {

    private final RelayCore core = new RelayCore();

    /** @param ioEngine {@code io.engine}, or null for the relay's default ({@code auto}) */
    InProcessRelay(int ioThreads, String ioEngine) {
        core.activate(ComponentConfig.of(RelayCoreConfig.class, config(ioThreads, ioEngine)));
    }

    static Map<String, Object> config(int ioThreads, String ioEngine) {
        Map<String, Object> m = new HashMap<>();
        m.put("bind.address", "127.0.0.1");
        m.put("public.address", "127.0.0.1");
        m.put("port.min", BenchOptions.INPROCESS_PORT_MIN);
        m.put("port.max", BenchOptions.INPROCESS_PORT_MAX);
        m.put("rtcp", false);
        m.put("idle.timeout", 3600);
        m.put("max.channels", BenchOptions.MAX_INPROCESS_CHANNELS);
        m.put("io.threads", ioThreads);
        if (ioEngine != null) {
            m.put("io.engine", ioEngine);
        }
        m.put("scan.guard.ports", 0);
        return m;
    }

    @Override
    public String allocate(String user) throws IOException {
        try {
            return core.allocate(ChannelRequest.of(user)).id();
        } catch (RelayDeniedException e) {
            throw new IOException("RelayService denied: " + e.reason() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void destroy(String id) throws IOException {
        if (core.destroy(id).isEmpty()) {
            throw new IOException("RelayService had no channel " + id + " to destroy");
        }
    }

    /** Live channels (none after a round). */
    int live() {
        return core.channels().size();
    }

    @Override
    public void close() {
        core.deactivate();
    }
}
