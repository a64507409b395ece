package relay.signal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The node's counters, written by any thread, read without a lock by scrapes and the shell. */
final class Stats {

    /** Frame types counted in {@code signal_frames_total{type}}; anything else counts as {@code invalid}. */
    static final List<String> TYPES = List.of("hello", "join", "leave", "status", "message", "data", "delivered", "signal",
            "relay", "ping", "invalid");
    /** Reasons of {@code signal_refused_total{reason}}. */
    static final List<String> REASONS = List.of("token", "hello_timeout", "rate_limited", "flood", "frame_too_large",
            "binary_frame", "invalid_json", "missing_id", "unknown_type", "invalid_frame", "forbidden", "too_many_pools",
            "connections_per_user", "connections_per_ip", "heartbeat", "slow_consumer", "resume_overflow");

    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger sessions = new AtomicInteger();
    private final Map<String, LongAdder> frames;
    private final Map<String, LongAdder> refused;

    Stats() {
        frames = table(TYPES);
        refused = table(REASONS);
    }

    private static Map<String, LongAdder> table(List<String> keys) {
        Map<String, LongAdder> m = new LinkedHashMap<>();
        keys.forEach(k -> m.put(k, new LongAdder()));
        return Collections.unmodifiableMap(m);
    }

    void frame(String type) {
        LongAdder a = frames.get(type);
        (a == null ? frames.get("invalid") : a).increment();
    }

    void refused(String reason) {
        refused.get(reason).increment();
    }

    /** @return frames received by type, in {@link #TYPES} order */
    Map<String, Long> frames() {
        return snapshot(frames);
    }

    /** @return refusals by reason, in {@link #REASONS} order */
    Map<String, Long> refused() {
        return snapshot(refused);
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> m) {
        Map<String, Long> s = new LinkedHashMap<>();
        m.forEach((k, v) -> s.put(k, v.sum()));
        return s;
    }
}
