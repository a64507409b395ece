package relay.api;

import java.util.Objects;

/**
 * A request for a channel, made on behalf of a user.
 *
 * @param user the requester, whose bare JID the channel will belong to
 * @param origin who passed the request on, for logs (for example {@code "rest 127.0.0.1"},
 *        {@code "shell"}, a bundle's name); never used for decisions
 */
public record ChannelRequest(BareJid user, String origin) {

    /** Rejects a missing user. */
    public ChannelRequest {
        Objects.requireNonNull(user, "user");
        origin = origin == null ? "" : origin;
    }

    /**
     * A request for {@code jid}, parsed with {@link BareJid#parse(String)}.
     *
     * @param jid the requester's JID (a resource is dropped)
     * @return the request
     * @throws IllegalArgumentException if {@code jid} is not a valid JID
     */
    public static ChannelRequest of(String jid) {
        return new ChannelRequest(BareJid.parse(jid), "");
    }

    /**
     * @param origin who passed the request on
     * @return a copy with that origin
     */
    public ChannelRequest withOrigin(String origin) {
        return new ChannelRequest(user, origin);
    }
}
