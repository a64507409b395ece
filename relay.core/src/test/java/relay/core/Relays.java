package relay.core;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

import relay.testing.ComponentConfig;

/** Starts real cores on loopback for tests, in this module's port range 21000-23999. */
final class Relays {

    private Relays() {
    }

    static Map<String, Object> config(int portMin, int portMax, Object... keyValues) {
        Map<String, Object> m = new HashMap<>();
        m.put("bind.address", "127.0.0.1");
        m.put("port.min", portMin);
        m.put("port.max", portMax);
        m.put("io.threads", 2);
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    /** The configuration as DS hands it to the component. */
    static RelayCoreConfig typed(Map<String, ?> config) {
        return ComponentConfig.of(RelayCoreConfig.class, config);
    }

    static CoreConfig parse(Map<String, ?> config) {
        return CoreConfig.from(typed(config));
    }

    static RelayCore start(Map<String, Object> config) {
        return start(config, NanoClock.SYSTEM);
    }

    static RelayCore start(Map<String, Object> config, NanoClock clock) {
        RelayCore core = new RelayCore(clock);
        core.activate(typed(config));
        return core;
    }

    /** Polls {@code condition} until it holds or 10 s pass; tells whether it held. */
    static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }
}
