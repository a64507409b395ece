package relay.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

import org.osgi.service.log.Logger;

import relay.api.AddressFamily;
import relay.api.BareJid;
import relay.api.ChannelRequest;
import relay.api.ExpectedPeer;
import relay.api.RelayChannel;
import relay.api.RelayDeniedException;
import relay.api.RelayService;
import relay.api.Side;
import relay.api.cluster.Cluster;
import relay.api.cluster.ClusterNode;
import relay.http.access.ApiAccess;

/**
 * The REST API's rules: who may call it, which resources exist, and how every outcome of
 * {@link RelayService} maps to a status and a JSON body. Never answers 500 and never lets an
 * exception out: an unexpected failure is logged and answered 503 without its details.
 *
 * <p>In order, a request is refused: 429 while its client is shut out for guessing the token;
 * 401 without the token (or, with none configured, from another host); 403 {@code forbidden_host}
 * when, with no token configured, its {@code Host} is not a loopback name (DNS rebinding); 404 and
 * 405 for what does not exist; 400 {@code invalid_query} for a malformed query; 415 for a
 * {@code POST} that is not JSON; 400 for a body that is not what the resource takes.
 *
 * <p>With a {@link Cluster} service (the bundle relay.cluster), the node answers for the whole
 * cluster: {@code GET /relay/nodes} lists the live nodes; a {@code GET} or {@code DELETE} of a
 * channel another node holds is forwarded to that node and its answer relayed (502
 * {@code owner_unreachable} if it does not answer); {@code GET /relay/channels?cluster=true}
 * lists the channels of every node; a {@code POST} that placement sends to another node is
 * forwarded there (and allocated here if that node does not answer). A request forwarded by a
 * node carries {@value ClusterCalls#FORWARDED_BY} and is never forwarded again. Without the
 * service, the node runs alone exactly as before.
 */
final class RestApi {

    /** The largest request body accepted; an allocation request needs about 50 bytes. */
    static final int MAX_BODY = 8 * 1024;

    private static final String ROOT = "/relay";
    private static final String CHANNELS = "/channels";
    private static final String STATS = "/stats";
    private static final String NODES = "/nodes";
    /** Outside {@code /relay}, where Prometheus looks by default. */
    private static final String METRICS = "/metrics";

    private final Logger log;
    private final ApiAccess access;
    private volatile RelayService relay;
    private final AtomicReference<Cluster> cluster = new AtomicReference<>();
    private final ClusterCalls calls = new ClusterCalls();
    private Metrics metrics; // made at the first scrape
    /** Other bundles' metric families (services), written after the relay's on /metrics. */
    private final java.util.List<io.prometheus.metrics.model.registry.MultiCollector> collectors =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /** @param log where an unexpected failure is logged */
    RestApi(Logger log) {
        this(log, System::nanoTime);
    }

    /**
     * @param log where an unexpected failure is logged
     * @param nanoClock the monotonic clock that times token failures
     */
    RestApi(Logger log, LongSupplier nanoClock) {
        this.log = log;
        this.access = new ApiAccess(nanoClock);
    }

    /** @param relay the relay to serve, or null while there is none */
    void useRelay(RelayService relay) {
        this.relay = relay;
    }

    /** @param cluster the cluster this node belongs to from now on */
    void useCluster(Cluster cluster) {
        this.cluster.set(cluster);
    }

    /**
     * @param gone a cluster service going away: this node runs alone from now on, unless
     *        another one has taken its place already
     */
    void dropCluster(Cluster gone) {
        this.cluster.compareAndSet(gone, null);
    }

    /** @param collector metric families of another bundle to write on /metrics, or remove with {@link #dropCollector} */
    void addCollector(io.prometheus.metrics.model.registry.MultiCollector collector) {
        collectors.add(collector);
    }

    void dropCollector(io.prometheus.metrics.model.registry.MultiCollector collector) {
        collectors.remove(collector);
    }

    /** @param token the bearer token clients must present, empty for none (clients on this host only) */
    void useToken(String token) {
        access.useToken(token);
    }

    ApiResponse handle(ApiRequest request) {
        try {
            ApiResponse refused = checkAccess(request);
            return refused != null ? refused : route(request);
        } catch (BadRequest e) {
            return ApiResponse.error(400, e.code(), e.getMessage());
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) { // a failure of the relay or of the container: never a 500, never details
            log.error("REST " + request.method() + " " + request.path() + " failed", e);
            return ApiResponse.error(503, "unavailable", "the relay could not handle this request; its log says why");
        }
    }

    private ApiResponse checkAccess(ApiRequest request) {
        ApiAccess.Refusal r = access.check(request.remote(), request.host(), request.authorization());
        if (r == null) {
            return null;
        }
        if (r.shutOut()) {
            log.warn("REST API: " + ApiAccess.MAX_FAILURES + " wrong tokens within a minute from "
                    + request.remote().getHostAddress() + "; its requests are refused for 60 s");
        }
        return switch (r.status()) {
            case 429 -> ApiResponse.retryLater(429, r.error(), r.message(), r.retryAfter());
            case 401 -> unauthorized(r.message());
            default -> ApiResponse.error(r.status(), r.error(), r.message());
        };
    }

    private static ApiResponse unauthorized(String message) {
        return ApiResponse.error(401, "unauthorized", message, Map.of("WWW-Authenticate", "Bearer realm=\"relay\""));
    }

    private ApiResponse route(ApiRequest request) {
        String full = request.path() == null ? "" : request.path();
        String method = request.method() == null ? "" : request.method(); // case-sensitive (RFC 9110)
        if (full.equals(METRICS)) {
            if (!method.equals("GET")) {
                return methodNotAllowed("GET");
            }
            Query.parse(request.query());
            return withRelay(relay -> scrape(relay, request.accept()));
        }
        String path = full.startsWith(ROOT + "/") ? full.substring(ROOT.length()) : "";
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.equals(CHANNELS)) {
            return switch (method) {
                case "GET" -> {
                    Map<String, String> query = Query.parse(request.query());
                    String user = query.get("user");
                    yield clusterWide(query.get("cluster")) ? withRelay(relay -> clusterList(relay, user, request))
                            : withRelay(relay -> list(relay, user));
                }
                case "POST" -> allocate(request);
                default -> methodNotAllowed("GET, POST");
            };
        }
        if (path.startsWith(CHANNELS + "/") && path.indexOf('/', CHANNELS.length() + 1) < 0) {
            String id = path.substring(CHANNELS.length() + 1);
            return switch (method) {
                case "GET" -> {
                    Query.parse(request.query());
                    yield withRelay(relay -> relay.channel(id).map(c -> ApiResponse.ok(Json.channel(c)))
                            .orElseGet(() -> atOwner(request, id)));
                }
                case "DELETE" -> {
                    Query.parse(request.query());
                    yield withRelay(relay -> relay.destroy(id).map(c -> ApiResponse.noContent())
                            .orElseGet(() -> atOwner(request, id)));
                }
                default -> methodNotAllowed("GET, DELETE");
            };
        }
        if (path.equals(STATS)) {
            if (!method.equals("GET")) {
                return methodNotAllowed("GET");
            }
            Query.parse(request.query());
            return withRelay(relay -> ApiResponse.ok(Json.stats(relay.stats(), access.failures())));
        }
        if (path.equals(NODES)) {
            if (!method.equals("GET")) {
                return methodNotAllowed("GET");
            }
            Query.parse(request.query());
            return nodes();
        }
        return ApiResponse.error(404, "not_found", "no such resource; the API has /relay/channels, /relay/channels/{id},"
                + " /relay/stats, /relay/nodes and /metrics");
    }

    private ApiResponse scrape(RelayService relay, String accept) {
        Metrics.Scrape scrape = metrics().scrape(relay.stats(), access.failures(), accept, List.copyOf(collectors));
        return ApiResponse.text(scrape.body(), scrape.contentType());
    }

    private synchronized Metrics metrics() {
        if (metrics == null) {
            metrics = new Metrics();
        }
        return metrics;
    }

    private interface Call {
        ApiResponse on(RelayService relay);
    }

    private ApiResponse withRelay(Call call) {
        RelayService r = relay;
        if (r == null) {
            return ApiResponse.error(503, "unavailable", "the relay core is not running");
        }
        try {
            return call.on(r);
        } catch (IllegalStateException e) {
            return ApiResponse.error(503, "unavailable", "the relay is stopping");
        }
    }

    private static ApiResponse list(RelayService relay, String user) {
        List<RelayChannel> channels = user == null ? relay.channels() : relay.channels(jid(user));
        return ApiResponse.ok(Json.channels(channels));
    }

    /** @return whether {@code ?cluster=} asks for the channels of every node */
    private static boolean clusterWide(String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw new BadRequest("invalid_query", "'cluster' takes true or false, not '" + shown(value) + "'");
    }

    /**
     * This node's channels, then those of every other live node, asked at once. A node that
     * does not answer (or serves no REST API) is listed in {@code unreachable}; the rest answer.
     * Alone, or for a request another node forwarded, this node's channels only.
     */
    private ApiResponse clusterList(RelayService relay, String user, ApiRequest request) {
        List<RelayChannel> here = user == null ? relay.channels() : relay.channels(jid(user));
        Cluster c = cluster.get();
        if (c == null) {
            return ApiResponse.ok(Json.clusterChannels(null, here, List.of()));
        }
        String localId = c.localId();
        List<ClusterNode> others = request.forwardedBy() != null ? List.of()
                : c.nodes().stream().filter(n -> !n.local() && !n.id().equals(localId)).toList();
        String path = ROOT + CHANNELS + (user == null ? "" : "?user=" + ClusterCalls.segment(user));
        List<ClusterNode> reachable = others.stream().filter(n -> n.restUrl() != null).toList();
        List<ClusterCalls.Listing> listings = new java.util.ArrayList<>(calls.list(reachable, path, request.authorization(),
                localId));
        others.stream().filter(n -> n.restUrl() == null).forEach(n -> listings.add(new ClusterCalls.Listing(n, null)));
        return ApiResponse.ok(Json.clusterChannels(localId, here, listings));
    }

    /** {@code GET /relay/nodes}: the live nodes, or 404 for a node that runs alone. */
    private ApiResponse nodes() {
        Cluster c = cluster.get();
        if (c == null) {
            return ApiResponse.error(404, "not_found", "this node runs alone: no cluster service is registered"
                    + " (the bundle relay.cluster is not installed or not configured)");
        }
        return ApiResponse.ok(Json.nodes(c.localId(), c.available(), c.nodes()));
    }

    /**
     * A channel this node does not hold: the answer of the node that does, if the cluster's
     * directory names a live one with a REST URL, else 404. A request another node forwarded
     * is answered here, never forwarded again.
     */
    private ApiResponse atOwner(ApiRequest request, String id) {
        Cluster c = cluster.get();
        if (c == null || request.forwardedBy() != null) {
            return notFound(id);
        }
        Optional<ClusterNode> owner = c.ownerOf(id);
        if (owner.isEmpty() || owner.get().local() || owner.get().id().equals(c.localId())
                || owner.get().restUrl() == null) {
            return notFound(id);
        }
        ClusterNode node = owner.get();
        try {
            return calls.forward(node, request.method(), ROOT + CHANNELS + "/" + ClusterCalls.segment(id),
                    request.authorization(), c.localId(), null, null);
        } catch (ClusterCalls.Unreachable e) {
            String shown = id.length() > 64 ? id.substring(0, 61) + "..." : id;
            return ApiResponse.nodeError(502, "owner_unreachable", node.id(), "channel '" + shown + "' lives on node "
                    + node.id() + ", which did not answer at " + node.restUrl() + ": " + e.getMessage());
        }
    }

    private static ApiResponse notFound(String id) {
        String shown = id.length() > 64 ? id.substring(0, 61) + "..." : id;
        return ApiResponse.error(404, "not_found", "no live channel '" + shown + "'");
    }

    private static ApiResponse methodNotAllowed(String allow) {
        return ApiResponse.error(405, "method_not_allowed", "this resource accepts " + allow, Map.of("Allow", allow));
    }

    private ApiResponse allocate(ApiRequest request) {
        Query.parse(request.query());
        if (!isJson(request.contentType())) {
            return ApiResponse.error(415, "unsupported_media_type",
                    "send the body as 'Content-Type: application/json' (UTF-8)");
        }
        // Read and check everything before asking the relay, so that a bad request holds nothing.
        String text = body(request);
        Json.AllocationBody body = Json.allocation(text);
        BareJid user = jid(body.user());
        ExpectedPeer peerA = peer("peerA", body.peerA());
        ExpectedPeer peerB = peer("peerB", body.peerB());
        AddressFamily familyA = family("familyA", body.familyA());
        AddressFamily familyB = family("familyB", body.familyB());
        String origin = "rest " + (request.remote() == null ? "?" : request.remote().getHostAddress());
        ChannelRequest channelRequest = ChannelRequest.of(user, origin).withExpectedPeers(peerA, peerB)
                .withFamilies(familyA, familyB).withRtcpMux(body.rtcpMux());
        ApiResponse placed = placedElsewhere(request, text);
        return placed != null ? placed : withRelay(relay -> allocate(relay, channelRequest));
    }

    /**
     * Forwards an allocation to the node that placement chose, if that is another node with a
     * REST URL and the request was not forwarded already.
     *
     * @return that node's answer, or null to allocate here (alone, placed here, or the chosen
     *         node did not answer: a channel here is better than an error)
     */
    private ApiResponse placedElsewhere(ApiRequest request, String body) {
        Cluster c = cluster.get();
        if (c == null || request.forwardedBy() != null) {
            return null;
        }
        ClusterNode target = c.placement();
        if (target == null || target.local() || target.id().equals(c.localId()) || target.restUrl() == null) {
            return null;
        }
        ApiResponse answer;
        try {
            answer = calls.forward(target, "POST", ROOT + CHANNELS, request.authorization(), c.localId(),
                    request.contentType(), body.getBytes(StandardCharsets.UTF_8));
        } catch (ClusterCalls.Unreachable e) {
            log.warn("REST POST /relay/channels: placement chose node " + target.id() + ", which did not answer at "
                    + target.restUrl() + " (" + e.getMessage() + "); allocating on this node instead");
            return null;
        }
        String id = answer.status() == 201 && answer.body() != null ? Json.channelId(answer.body()) : null;
        if (id == null) {
            return answer;
        }
        String authorization = request.authorization();
        String localId = c.localId();
        // An answer the caller never gets frees the channel on its node, as a local allocation's would.
        return new ApiResponse(answer.status(), answer.body(), answer.contentType(), answer.headers(),
                () -> calls.send(target, "DELETE", ROOT + CHANNELS + "/" + ClusterCalls.segment(id), authorization, localId));
    }

    private ApiResponse allocate(RelayService relay, ChannelRequest request) {
        RelayChannel channel;
        try {
            channel = relay.allocate(request);
        } catch (RelayDeniedException e) {
            return denied(e);
        } catch (IllegalArgumentException e) {
            // The JID was checked before: with a family asked for, what the core refuses is the family
            // (the relay has no address of that IP version); else the request itself.
            boolean families = request.family(Side.A).isPresent() || request.family(Side.B).isPresent();
            return ApiResponse.error(400, families ? "invalid_family" : "invalid_user", e.getMessage());
        }
        String id = channel.id();
        try {
            return ApiResponse.created(Json.channel(channel), "/relay/channels/" + id, () -> relay.destroy(id));
        } catch (RuntimeException e) {
            relay.destroy(id); // the caller will never learn of it
            throw e;
        }
    }

    /**
     * @param contentType a {@code Content-Type} header, or null
     * @return whether it says JSON: {@code application/json}, with no charset or UTF-8
     */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String[] parts = contentType.split(";", -1);
        if (!parts[0].strip().equalsIgnoreCase("application/json")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].strip();
            int eq = param.indexOf('=');
            if (eq > 0 && param.substring(0, eq).strip().equalsIgnoreCase("charset")) {
                String charset = param.substring(eq + 1).strip();
                if (charset.length() >= 2 && charset.startsWith("\"") && charset.endsWith("\"")) {
                    charset = charset.substring(1, charset.length() - 1);
                }
                if (!charset.toLowerCase(Locale.ROOT).equals("utf-8")) {
                    return false;
                }
            }
        }
        return true;
    }

    private static ApiResponse denied(RelayDeniedException e) {
        int status = e.reason() == RelayDeniedException.Reason.POLICY ? 403 : 503;
        String error = status == 403 ? "denied" : "unavailable";
        return ApiResponse.denied(status, error, e.reason().name(), e.policy(), e.getMessage(), e.retryAfter());
    }

    private static BareJid jid(String text) {
        if (text.isBlank()) {
            throw new BadRequest("invalid_user", "\"user\" is empty: send a JID such as alice@example.com");
        }
        try {
            return BareJid.parse(text);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("invalid_user", e.getMessage());
        }
    }

    private static ExpectedPeer peer(String key, String text) {
        if (text == null) {
            return null;
        }
        try {
            return ExpectedPeer.parse(text);
        } catch (RuntimeException e) {
            throw new BadRequest("invalid_peer", key + ": " + e.getMessage());
        }
    }

    /** @return the IP version named ({@code ipv4} or {@code ipv6}, in any case), or null for none */
    private static AddressFamily family(String key, String text) {
        if (text == null) {
            return null;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "ipv4" -> AddressFamily.IPV4;
            case "ipv6" -> AddressFamily.IPV6;
            default -> throw new BadRequest("invalid_family", key + ": \"" + shown(text) + "\" is not an IP version;"
                    + " send \"ipv4\", \"ipv6\" or null (the relay's own address)");
        };
    }

    private static String shown(String text) {
        String one = text.replaceAll("\\p{Cntrl}", "?");
        return one.length() > 40 ? one.substring(0, 37) + "..." : one;
    }

    private static String body(ApiRequest request) {
        if (request.contentLength() > MAX_BODY) {
            throw tooLarge();
        }
        byte[] bytes;
        try (InputStream in = request.body()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        } catch (IOException e) {
            throw new BadRequest("invalid_body", "the body could not be read: the connection broke, or its"
                    + " transfer encoding is malformed");
        }
        if (bytes.length > MAX_BODY) {
            throw tooLarge();
        }
        if (bytes.length == 0) {
            throw new BadRequest("invalid_json", "the body is empty: send {\"user\": \"alice@example.com\"}");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new BadRequest("invalid_json", "the body is not UTF-8 text");
        }
    }

    private static BadRequest tooLarge() {
        return new BadRequest("body_too_large", "the body is larger than " + MAX_BODY + " bytes");
    }
}
