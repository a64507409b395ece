package relay.api;

/** The one implementation of {@link ChannelRequest}; its factories check the values. */
record ChannelRequestValue(BareJid user, String origin) implements ChannelRequest {

    @Override
    public String toString() {
        return "ChannelRequest[user=" + user + ", origin=" + origin + "]";
    }
}
