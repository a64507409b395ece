package relay.http;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import relay.api.BareJid;
import relay.api.ChannelRequest;
import relay.api.ChannelSide;
import relay.api.ChannelState;
import relay.api.DestroyReason;
import relay.api.RelayChannel;
import relay.api.RelayDeniedException;
import relay.api.RelayService;
import relay.api.RelayStats;
import relay.api.Side;
import relay.api.Traffic;

/**
 * A relay that keeps channels in a map and records every allocation request, for what a real
 * core cannot be made to do on demand: keep the expected peers of a request (as the core will),
 * deny with any reason, or fail. Not thread safe.
 */
final class StubRelay implements RelayService {

    /** What the next allocations do instead of allocating, or null to allocate. */
    interface Failure {
        RelayChannel fail(ChannelRequest request) throws RelayDeniedException;
    }

    private final List<ChannelRequest> requests = new ArrayList<>();
    private final Map<String, RelayChannel> live = new LinkedHashMap<>();
    private Failure failure;
    private RelayStats stats;
    private int next;

    List<ChannelRequest> requests() {
        return requests;
    }

    /** @param s what {@link #stats()} answers from now on, or null for the default figures */
    void stats(RelayStats s) {
        this.stats = s;
    }

    void failWith(Failure f) {
        this.failure = f;
    }

    @Override
    public RelayChannel allocate(ChannelRequest request) throws RelayDeniedException {
        requests.add(request);
        if (failure != null) {
            return failure.fail(request);
        }
        int port = 30000 + 4 * next;
        Instant now = Instant.now();
        String hostB = request.family(Side.B).orElse(null) == relay.api.AddressFamily.IPV6 ? "::1" : null;
        RelayChannel c = RelayChannel.builder().id("stub" + next++).owner(request.user()).host("127.0.0.1").rtcp(true)
                .sideA(ChannelSide.of(port, port + 1, null, null).withExpectedPeer(request.expectedPeer(Side.A).orElse(null)))
                .sideB(ChannelSide.of(port + 2, port + 3, null, null).withExpectedPeer(request.expectedPeer(Side.B).orElse(null))
                        .withHost(hostB))
                .created(now).lastActivity(now).expire(60).state(ChannelState.WAITING)
                .aToB(Traffic.NONE).bToA(Traffic.NONE).build();
        live.put(c.id(), c);
        return c;
    }

    @Override
    public Optional<RelayChannel> channel(String id) {
        return Optional.ofNullable(live.get(id));
    }

    @Override
    public List<RelayChannel> channels() {
        return List.copyOf(live.values());
    }

    @Override
    public List<RelayChannel> channels(BareJid owner) {
        return live.values().stream().filter(c -> c.owner().equals(owner)).toList();
    }

    @Override
    public Optional<RelayChannel> destroy(String id) {
        return Optional.ofNullable(live.remove(id));
    }

    @Override
    public Optional<RelayChannel> destroy(String id, DestroyReason reason) {
        return destroy(id);
    }

    @Override
    public CompletionStage<Optional<RelayChannel>> destroyAsync(String id, DestroyReason reason) {
        return CompletableFuture.completedFuture(destroy(id));
    }

    @Override
    public RelayStats stats() {
        if (stats != null) {
            return stats;
        }
        return RelayStats.builder().started(Instant.EPOCH).liveChannels(live.size()).maxChannels(100)
                .effectiveCapacity(25).listenerDrops(3).build();
    }

    @Override
    public boolean draining() {
        return false;
    }

    @Override
    public void drain(boolean draining) {
    }
}
