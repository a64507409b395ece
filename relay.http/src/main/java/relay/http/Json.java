package relay.http;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;

import relay.api.Addresses;
import relay.api.ChannelSide;
import relay.api.ExpectedPeer;
import relay.api.RelayChannel;
import relay.api.RelayStats;
import relay.api.Traffic;
import relay.api.cluster.ClusterNode;

/** The API's JSON: reads request bodies and writes channels, stats and errors, through Gson. */
final class Json {

    private Json() {
    }

    /** Writes trees as {@link #write} does: nulls kept, nothing escaped for HTML. */
    private static final Gson TREE = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    /** The deepest nesting a request body may have; an allocation request has one level. */
    static final int MAX_DEPTH = 32;

    /**
     * What an allocation request says: {@code {"user": "alice@example.com", "peerA": "192.0.2.7:4000",
     * "peerB": "[2001:db8::1]:4000"}}; other keys are ignored.
     *
     * @param user the user's JID as sent (not yet validated as a JID)
     * @param peerA side A's expected peer as sent (not yet parsed), or null for none
     * @param peerB side B's expected peer as sent, or null for none
     * @param familyA side A's IP version as sent ({@code "ipv4"}, {@code "ipv6"}; not yet checked), or null for the relay's own
     * @param familyB side B's IP version as sent, or null for the relay's own
     * @param rtcpMux whether both parties send RTCP on the RTP port ({@code "rtcpMux": true}): no RTCP ports
     */
    record AllocationBody(String user, String peerA, String peerB, String familyA, String familyB, boolean rtcpMux) {
    }

    /**
     * Reads an allocation request.
     *
     * @param body the request body, UTF-8 JSON
     * @return what it asks for
     * @throws BadRequest {@code invalid_json} if the body is not one strict JSON object without
     *         duplicate keys; {@code invalid_user} without a string {@code user};
     *         {@code invalid_peer} for a peer that is neither a string nor null; {@code invalid_family}
     *         for a family that is neither a string nor null; {@code invalid_rtcp_mux} for an
     *         {@code rtcpMux} that is neither a boolean nor null
     */
    static AllocationBody allocation(String body) {
        JsonElement root = parse(body);
        if (!root.isJsonObject()) {
            throw new BadRequest("invalid_json", "the body must be a JSON object such as {\"user\": \"alice@example.com\"}");
        }
        JsonObject object = root.getAsJsonObject();
        JsonElement user = object.get("user");
        if (user == null || user.isJsonNull()) {
            throw new BadRequest("invalid_user", "\"user\" is missing: send {\"user\": \"alice@example.com\"}");
        }
        if (!user.isJsonPrimitive() || !user.getAsJsonPrimitive().isString()) {
            throw new BadRequest("invalid_user", "\"user\" must be a string (a JID such as alice@example.com)");
        }
        return new AllocationBody(user.getAsString(), peer(object, "peerA"), peer(object, "peerB"),
                family(object, "familyA"), family(object, "familyB"), rtcpMux(object));
    }

    private static boolean rtcpMux(JsonObject object) {
        JsonElement mux = object.get("rtcpMux");
        if (mux == null || mux.isJsonNull()) {
            return false;
        }
        if (!mux.isJsonPrimitive() || !mux.getAsJsonPrimitive().isBoolean()) {
            throw new BadRequest("invalid_rtcp_mux", "rtcpMux: must be true (both parties send RTCP on the RTP port,"
                    + " as WebRTC does: the channel gets no RTCP ports), false or null");
        }
        return mux.getAsBoolean();
    }

    private static String family(JsonObject object, String key) {
        JsonElement family = object.get(key);
        if (family == null || family.isJsonNull()) {
            return null;
        }
        if (!family.isJsonPrimitive() || !family.getAsJsonPrimitive().isString()) {
            throw new BadRequest("invalid_family", key + ": must be \"ipv4\", \"ipv6\" or null");
        }
        return family.getAsString();
    }

    private static String peer(JsonObject object, String key) {
        JsonElement peer = object.get(key);
        if (peer == null || peer.isJsonNull()) {
            return null;
        }
        if (!peer.isJsonPrimitive() || !peer.getAsJsonPrimitive().isString()) {
            throw new BadRequest("invalid_peer", key + ": must be a string, an IP address with an optional port such as"
                    + " \"192.0.2.7:4000\" or \"[2001:db8::1]:4000\"");
        }
        return peer.getAsString();
    }

    /** One strict JSON value and nothing after it; a key given twice in an object is refused. */
    private static JsonElement parse(String body) {
        try (JsonReader reader = new JsonReader(new StringReader(body))) {
            reader.setStrictness(Strictness.STRICT);
            JsonElement root = read(reader, 0);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new BadRequest("invalid_json", "the body holds more than one JSON value");
            }
            return root;
        } catch (JsonParseException | IOException | IllegalStateException | NumberFormatException e) {
            throw new BadRequest("invalid_json", "the body is not valid JSON: " + rootCause(e));
        }
    }

    private static JsonElement read(JsonReader in, int depth) throws IOException {
        JsonToken token = in.peek();
        if ((token == JsonToken.BEGIN_OBJECT || token == JsonToken.BEGIN_ARRAY) && depth >= MAX_DEPTH) {
            throw new BadRequest("invalid_json", "the body is nested deeper than " + MAX_DEPTH + " levels");
        }
        switch (token) {
            case BEGIN_OBJECT -> {
                JsonObject object = new JsonObject();
                in.beginObject();
                while (in.hasNext()) {
                    String name = in.nextName();
                    if (object.has(name)) {
                        throw new BadRequest("invalid_json", "the key \"" + shown(name) + "\" appears twice in one object");
                    }
                    object.add(name, read(in, depth + 1));
                }
                in.endObject();
                return object;
            }
            case BEGIN_ARRAY -> {
                JsonArray array = new JsonArray();
                in.beginArray();
                while (in.hasNext()) {
                    array.add(read(in, depth + 1));
                }
                in.endArray();
                return array;
            }
            case STRING -> {
                return new JsonPrimitive(in.nextString());
            }
            case NUMBER -> {
                return new JsonPrimitive(new NumberText(in.nextString()));
            }
            case BOOLEAN -> {
                return new JsonPrimitive(in.nextBoolean());
            }
            case NULL -> {
                in.nextNull();
                return JsonNull.INSTANCE;
            }
            default -> throw new BadRequest("invalid_json", "the body is not valid JSON: unexpected " + token);
        }
    }

    /** A JSON number kept as its text: the API reads no number, so none is converted (or overflows). */
    private static final class NumberText extends Number {
        private static final long serialVersionUID = 1L;
        private final String text;

        NumberText(String text) {
            this.text = text;
        }

        @Override
        public int intValue() {
            return (int) doubleValue();
        }

        @Override
        public long longValue() {
            return (long) doubleValue();
        }

        @Override
        public float floatValue() {
            return (float) doubleValue();
        }

        @Override
        public double doubleValue() {
            return Double.parseDouble(text);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private static String shown(String text) {
        String one = text.replaceAll("\\p{Cntrl}", "?");
        return one.length() > 40 ? one.substring(0, 37) + "..." : one;
    }

    static String channel(RelayChannel channel) {
        return write(out -> writeChannel(out, channel));
    }

    static String channels(List<RelayChannel> channels) {
        return write(out -> {
            out.beginArray();
            for (RelayChannel channel : channels) {
                writeChannel(out, channel);
            }
            out.endArray();
        });
    }

    /**
     * @param stats the relay's figures
     * @param authFailures wrong tokens the API has seen since it started
     * @return the stats object
     */
    static String stats(RelayStats stats, long authFailures) {
        return write(out -> {
            out.beginObject();
            out.name("started").value(stats.started().toString());
            out.name("uptime").value(stats.uptime().toSeconds());
            out.name("liveChannels").value(stats.liveChannels());
            out.name("allocated").value(stats.allocated());
            writeCounts(out.name("destroyed"), stats.destroyed());
            writeCounts(out.name("denied"), stats.denied());
            out.name("invalid").value(stats.invalid());
            writeTraffic(out.name("forwarded"), stats.forwarded());
            out.name("portsFree").value(stats.portsFree());
            out.name("portsTotal").value(stats.portsTotal());
            out.name("draining").value(stats.draining());
            out.name("maxChannels").value(stats.maxChannels());
            out.name("ioLoopFaults").value(stats.ioLoopFaults());
            out.name("effectiveCapacity").value(stats.effectiveCapacity());
            out.name("listenerDrops").value(stats.listenerDrops());
            out.name("listenerFailures").value(stats.listenerFailures());
            out.name("ioLoopBusy").beginArray();
            for (double busy : stats.ioLoopBusy()) {
                out.value(busy);
            }
            out.endArray();
            out.name("authFailures").value(authFailures);
            out.endObject();
        });
    }

    /**
     * {@code GET /relay/nodes}: {@code {"local", "available", "nodes": [...]}}.
     *
     * @param local this node's id
     * @param available whether the cluster's shared store answers
     * @param nodes the live nodes, as the cluster lists them
     * @return the nodes object
     */
    static String nodes(String local, boolean available, List<ClusterNode> nodes) {
        return write(out -> {
            out.beginObject();
            out.name("local").value(local);
            out.name("available").value(available);
            out.name("nodes").beginArray();
            for (ClusterNode n : nodes) {
                out.beginObject();
                out.name("id").value(n.id());
                out.name("publicAddress").value(n.publicAddress());
                out.name("restUrl").value(n.restUrl() == null ? null : n.restUrl().toString());
                out.name("liveChannels").value(n.liveChannels());
                out.name("freePorts").value(n.freePorts());
                out.name("capacity").value(n.capacity());
                out.name("spare").value(n.spare());
                out.name("busyRatio").value(Double.isFinite(n.busyRatio()) ? (Double) n.busyRatio() : null);
                out.name("heartbeat").value(instant(n.heartbeat()));
                out.name("local").value(n.local());
                out.endObject();
            }
            out.endArray();
            out.endObject();
        });
    }

    /**
     * {@code GET /relay/channels?cluster=true}: {@code {"local", "channels": [...], "unreachable": [...]}},
     * each channel as {@link #channel} writes it plus {@code "node"}, the id of the node that holds it.
     *
     * @param local this node's id, or null when it runs alone
     * @param here this node's channels
     * @param listings what the other nodes answered: a JSON array of channels, or null if a node did not
     * @return the listing object
     */
    static String clusterChannels(String local, List<RelayChannel> here, List<ClusterCalls.Listing> listings) {
        JsonArray channels = new JsonArray();
        for (JsonElement c : JsonParser.parseString(channels(here)).getAsJsonArray()) {
            c.getAsJsonObject().addProperty("node", local);
            channels.add(c);
        }
        JsonArray unreachable = new JsonArray();
        for (ClusterCalls.Listing listing : listings) {
            JsonArray theirs = theirChannels(listing.body());
            if (theirs == null) {
                unreachable.add(listing.node().id());
                continue;
            }
            for (JsonElement c : theirs) {
                c.getAsJsonObject().addProperty("node", listing.node().id());
                channels.add(c);
            }
        }
        JsonObject answer = new JsonObject();
        answer.addProperty("local", local);
        answer.add("channels", channels);
        answer.add("unreachable", unreachable);
        return TREE.toJson(answer);
    }

    /** @return another node's listing, an array of objects, or null if its answer is not one */
    private static JsonArray theirChannels(String body) {
        if (body == null) {
            return null;
        }
        try {
            JsonElement root = JsonParser.parseString(body);
            if (!root.isJsonArray()) {
                return null;
            }
            for (JsonElement e : root.getAsJsonArray()) {
                if (!e.isJsonObject()) {
                    return null;
                }
            }
            return root.getAsJsonArray();
        } catch (JsonParseException e) {
            return null;
        }
    }

    /** The id of the channel in an answer to an allocation, or null if it has none. */
    static String channelId(String body) {
        try {
            JsonElement root = JsonParser.parseString(body);
            JsonElement id = root.isJsonObject() ? root.getAsJsonObject().get("id") : null;
            return id != null && id.isJsonPrimitive() ? id.getAsString() : null;
        } catch (JsonParseException | NullPointerException e) {
            return null;
        }
    }

    /**
     * An error naming the cluster node it concerns: {@link #error}'s object plus {@code "node"}.
     *
     * @param error a short, stable code ({@code owner_unreachable})
     * @param node the node's id
     * @param message a sentence for a person
     * @return the error object
     */
    static String nodeError(String error, String node, String message) {
        return write(out -> {
            out.beginObject();
            out.name("error").value(error);
            out.name("reason").value((String) null);
            out.name("policy").value((String) null);
            out.name("message").value(message);
            out.name("node").value(node);
            out.endObject();
        });
    }

    /**
     * @param error a short, stable code ({@code invalid_json}, {@code denied}, ...)
     * @param reason the relay's denial reason, or null
     * @param policy the denying policy's name, or null
     * @param message a sentence for a person
     * @param retryAfter seconds until trying again could succeed, or null
     * @return the error object
     */
    static String error(String error, String reason, String policy, String message, Long retryAfter) {
        return write(out -> {
            out.beginObject();
            out.name("error").value(error);
            out.name("reason").value(reason);
            out.name("policy").value(policy);
            out.name("message").value(message);
            if (retryAfter != null) {
                out.name("retryAfter").value(retryAfter);
            }
            out.endObject();
        });
    }

    private static void writeChannel(JsonWriter out, RelayChannel c) throws IOException {
        out.beginObject();
        out.name("id").value(c.id());
        out.name("owner").value(c.owner().toString());
        out.name("host").value(c.host());
        out.name("hostA").value(host(c.sideA(), c));
        out.name("hostB").value(host(c.sideB(), c));
        out.name("portA").value(c.portA());
        out.name("portB").value(c.portB());
        out.name("rtcp").value(c.rtcp());
        out.name("rtcpPortA").value(rtcpPort(c.sideA()));
        out.name("rtcpPortB").value(rtcpPort(c.sideB()));
        out.name("expire").value(c.expire());
        out.name("state").value(c.state().name());
        out.name("created").value(instant(c.created()));
        out.name("lastActivity").value(instant(c.lastActivity()));
        out.name("peerA").value(peer(c.sideA().rtpPeer()));
        out.name("peerB").value(peer(c.sideB().rtpPeer()));
        out.name("rtcpPeerA").value(peer(c.sideA().rtcpPeer()));
        out.name("rtcpPeerB").value(peer(c.sideB().rtcpPeer()));
        out.name("expectedPeerA").value(expected(c.sideA().expectedPeer()));
        out.name("expectedPeerB").value(expected(c.sideB().expectedPeer()));
        out.name("maxKbps").value(c.maxKbps() == 0 ? null : (Integer) c.maxKbps());
        out.name("maxPps").value(c.maxPps() == 0 ? null : (Integer) c.maxPps());
        writeTraffic(out.name("aToB"), c.aToB());
        writeTraffic(out.name("bToA"), c.bToA());
        out.endObject();
    }

    private static void writeTraffic(JsonWriter out, Traffic t) throws IOException {
        out.beginObject();
        out.name("packets").value(t.packets());
        out.name("bytes").value(t.bytes());
        writeCounts(out.name("dropped"), t.dropped());
        out.endObject();
    }

    private static void writeCounts(JsonWriter out, Map<? extends Enum<?>, Long> counts) throws IOException {
        out.beginObject();
        for (Map.Entry<? extends Enum<?>, Long> e : counts.entrySet()) {
            out.name(e.getKey().name()).value(e.getValue());
        }
        out.endObject();
    }

    private static Integer rtcpPort(ChannelSide side) {
        return side.rtcpPort() == 0 ? null : side.rtcpPort();
    }

    /** @return the side's own host (a bridge's IPv6 side), else the channel's */
    private static String host(ChannelSide side, RelayChannel c) {
        return side.host() == null ? c.host() : side.host();
    }

    /** @return {@code 192.0.2.7:4000} or {@code [2001:db8::1]:4000} (RFC 5952), or null */
    private static String peer(InetSocketAddress peer) {
        if (peer == null) {
            return null;
        }
        if (peer.getAddress() == null) { // unresolved: never the case for a latched peer
            String host = peer.getHostString();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + peer.getPort();
        }
        return Addresses.endpoint(peer);
    }

    private static String expected(ExpectedPeer peer) {
        return peer == null ? null : peer.toString();
    }

    private static String instant(Instant instant) {
        return instant.toString();
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        // Gson appends a link to its troubleshooting page; the API's readers need the first sentence only.
        int see = message.indexOf("\nSee ");
        return see > 0 ? message.substring(0, see) : message;
    }

    private interface Body {
        void write(JsonWriter out) throws IOException;
    }

    private static String write(Body body) {
        StringWriter text = new StringWriter(512);
        try (JsonWriter out = new JsonWriter(text)) {
            out.setSerializeNulls(true);
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return text.toString();
    }
}
