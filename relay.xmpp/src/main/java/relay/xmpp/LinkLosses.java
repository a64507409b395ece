package relay.xmpp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The authenticated links lost, by cause: {@code closed} (the server ended the stream or closed
 * the connection), {@code silent} (nothing received, not even an answer to a ping, within
 * {@code ping.timeout.seconds}), {@code error} (a broken socket, XML the link refuses). Owned by
 * the component so that the counts outlive each link a reconfiguration replaces.
 */
final class LinkLosses {

    static final List<String> CAUSES = List.of("closed", "silent", "error");

    private final Map<String, AtomicLong> counts = new LinkedHashMap<>();

    LinkLosses() {
        CAUSES.forEach(c -> counts.put(c, new AtomicLong()));
    }

    void lost(String cause) {
        counts.get(cause).incrementAndGet();
    }

    /** @return the losses so far, every cause present */
    Map<String, Long> counts() {
        Map<String, Long> m = new LinkedHashMap<>();
        counts.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }
}
