package relay.shell;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import relay.api.BareJid;
import relay.api.ChannelRequest;
import relay.api.DestroyReason;
import relay.api.RelayChannel;
import relay.api.RelayDeniedException;
import relay.api.RelayService;
import relay.api.RelayStats;

/** A real relay with a record of every request that reached it, so tests see what a command asked for. */
final class RecordingRelay implements RelayService {

    private final RelayService relay;
    private final List<ChannelRequest> requests = new CopyOnWriteArrayList<>();

    RecordingRelay(RelayService relay) {
        this.relay = relay;
    }

    /** @return the allocation requests that reached the relay, in order */
    List<ChannelRequest> requests() {
        return requests;
    }

    @Override
    public RelayChannel allocate(ChannelRequest request) throws RelayDeniedException {
        requests.add(request);
        return relay.allocate(request);
    }

    @Override
    public Optional<RelayChannel> channel(String id) {
        return relay.channel(id);
    }

    @Override
    public List<RelayChannel> channels() {
        return relay.channels();
    }

    @Override
    public List<RelayChannel> channels(BareJid owner) {
        return relay.channels(owner);
    }

    @Override
    public Optional<RelayChannel> destroy(String id) {
        return relay.destroy(id);
    }

    @Override
    public Optional<RelayChannel> destroy(String id, DestroyReason reason) {
        return relay.destroy(id, reason);
    }

    @Override
    public CompletionStage<Optional<RelayChannel>> destroyAsync(String id, DestroyReason reason) {
        return relay.destroyAsync(id, reason);
    }

    @Override
    public RelayStats stats() {
        return relay.stats();
    }

    @Override
    public boolean draining() {
        return relay.draining();
    }

    @Override
    public void drain(boolean draining) {
        relay.drain(draining);
    }
}
