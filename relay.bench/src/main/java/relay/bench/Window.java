package relay.bench;

/**
 * What the generator saw in one measurement window: packets sent and received back, their
 * one-way latency, and everything that went wrong. Written by the traffic engine's thread only.
 */
final class Window {

    final int id;
    final double targetRate;
    final LatencyHistogram latency = new LatencyHistogram();
    long startNanos;
    long endNanos;
    long sent;
    long received;
    /** Packets the generator could not send on time (more than 20 ms behind) and skipped. */
    long skipped;
    /** Sends refused by a full socket buffer. */
    long sendFull;
    /** ICMP errors (port unreachable) reported on the client sockets. */
    long icmpErrors;
    /** Packets that came back on the wrong socket: another flow or the same direction. */
    long misrouted;
    /** Packets older than one already received on the same stream (reordered or duplicated). */
    long reordered;
    /** Datagrams that are not this run's probes. */
    long stray;
    /** Probes of this window whose size changed on the way. */
    long wrongSize;

    Window(int id, double targetRate) {
        this.id = id;
        this.targetRate = targetRate;
    }

    double seconds() {
        return (endNanos - startNanos) / 1e9;
    }

    double offeredPps() {
        return sent / seconds();
    }

    double receivedPps() {
        return received / seconds();
    }

    /** 1 - received/sent, in percent; late packets (after the drain) count as lost. */
    double lossPct() {
        return sent == 0 ? 0 : Math.max(0, 100.0 * (sent - received) / sent);
    }

    double latencyUs(double quantile) {
        return latency.quantile(quantile) / 1000.0;
    }
}
