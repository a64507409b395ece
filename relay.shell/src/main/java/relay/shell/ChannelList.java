package relay.shell;

import java.util.AbstractList;
import java.util.Comparator;
import java.util.List;

import relay.api.BareJid;
import relay.api.RelayChannel;

/**
 * What {@code relay:channels} returns: the channels, newest first, and the user they were
 * filtered by. A list, so that scripts can iterate it ({@code each}, {@code size}, {@code get}).
 */
public final class ChannelList extends AbstractList<RelayChannel> {

    private static final Comparator<RelayChannel> NEWEST_FIRST = Comparator.comparing(RelayChannel::created)
            .reversed().thenComparing(RelayChannel::id);

    private final List<RelayChannel> channels;
    private final BareJid owner;

    /**
     * @param channels snapshots in any order
     * @param owner the user they were filtered by, or {@code null} for all users
     */
    public ChannelList(List<RelayChannel> channels, BareJid owner) {
        this.channels = channels.stream().sorted(NEWEST_FIRST).toList();
        this.owner = owner;
    }

    /** @return the user the list was filtered by, or {@code null} if it holds every user's channels */
    public BareJid owner() {
        return owner;
    }

    @Override
    public RelayChannel get(int index) {
        return channels.get(index);
    }

    @Override
    public int size() {
        return channels.size();
    }
}
