package relay.signal;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;

import relay.api.BareJid;
import relay.api.ChannelRequest;
import relay.api.ChannelSide;
import relay.api.DestroyReason;
import relay.api.ExpectedPeer;
import relay.api.RelayChannel;
import relay.api.RelayDeniedException;
import relay.api.RelayService;

/**
 * The signalling node's state and rules, owned by one thread. Connections, sessions (endpoints),
 * pools, descriptions, message ids and relay calls are read and written by the hub's thread only;
 * the transports ({@link Link}), the REST API and the shell hand it events and questions through
 * its queue ({@link #post}, {@link #ask}) and never touch its maps. The hub never waits for
 * anybody and never writes to a socket: sends are queued by the links to their connection's
 * writer thread ({@link #writers}), relay allocations run on a thread of their own and come
 * back as events, listener events go to {@link Events}.
 */
final class Hub {

    /** Pool names: what fits in a URL path segment and a log line. */
    static final Pattern POOL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");
    /** Message ids remembered for delivery receipts. */
    static final int MIDS = 10_000;
    private static final long SECOND = 1_000_000_000L;
    private static final long TICK_MS = 200;

    private final ScheduledExecutorService loop;
    private final ExecutorService allocator;
    private final LongSupplier nanos;
    private final SecureRandom random = new SecureRandom();
    private final Events events;
    private final Consumer<String> warn;
    final Stats stats = new Stats();
    /** The threads that write to the connections, each owning some of them (they outlive the hub's loop to flush its last frames). */
    final Writers writers;

    private volatile SignalSettings settings;
    private volatile Jwt jwt;
    private volatile RelayService relay;

    // ---- hub-thread state ----
    private final Map<Link, Conn> conns = new HashMap<>();
    private final Map<String, Member> sessions = new HashMap<>();
    private final Map<String, Member> byResume = new HashMap<>();
    private final Map<String, Pool> pools = new TreeMap<>();
    private final Map<String, Map<String, JsonObject>> descriptions = new HashMap<>();
    private final Map<String, Integer> perUser = new HashMap<>();
    private final Map<InetAddress, Integer> perIp = new HashMap<>();
    private final Map<String, Call> calls = new HashMap<>();
    private final LinkedHashMap<String, Mid> mids = new LinkedHashMap<>(1024, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Mid> eldest) {
            return size() > MIDS;
        }
    };
    private final String midPrefix;
    private long midSeq;
    private boolean stopped;

    /** Where the other nodes are told what happens here; null: this node serves alone. */
    interface Bus {
        void publish(String message);
    }

    private Bus bus;
    /** Endpoints of other nodes that are in pools, by id (hub thread). */
    private final Map<String, Member> remotes = new HashMap<>();
    /** When each other node was last heard of. */
    private final Map<String, Long> nodesSeen = new HashMap<>();
    private long nextAlive;
    /** Frames for endpoints of other nodes, collected during one task: node, frame, endpoint ids. */
    private final Map<String, Map<String, List<String>>> outgoing = new LinkedHashMap<>();

    /** A connection, before and after hello. */
    private static final class Conn {
        final Link link;
        final long opened;
        Member member;
        long nextPing;
        int missed;
        boolean closing;
        /** A resume token asked of the other nodes, the hello that brought it, and until when. */
        String resuming;
        JsonObject resumeHello;
        long resumeDeadline;

        Conn(Link link, long opened) {
            this.link = link;
            this.opened = opened;
        }
    }

    /** An endpoint's session: outlives its connection for the resume window. */
    private static final class Member {
        final String id;
        final String user;
        final Jwt.Claims claims;
        /** The node that serves it: null for this one (it changes when the endpoint resumes on another). */
        String node;
        InetAddress address;
        Conn conn;
        String resume;
        final LinkedHashSet<String> pools = new LinkedHashSet<>();
        JsonElement status = JsonNull.INSTANCE;
        long detached;
        final ArrayDeque<String> buffer = new ArrayDeque<>();
        boolean ended;
        boolean overflow;

        Member(String id, Jwt.Claims claims, InetAddress address) {
            this(id, claims, address, null);
        }

        Member(String id, Jwt.Claims claims, InetAddress address, String node) {
            this.id = id;
            this.user = claims.user();
            this.claims = claims;
            this.address = address;
            this.node = node;
        }

        boolean local() {
            return node == null;
        }
    }

    private static final class Pool {
        final String name;
        final LinkedHashMap<String, Member> members = new LinkedHashMap<>();

        Pool(String name) {
            this.name = name;
        }
    }

    private record Mid(String sender, Set<String> recipients) {
    }

    private record Call(String channel, String a, String b) {
    }

    /** One endpoint as the REST API and the shell show it. */
    record EndpointInfo(String endpoint, String user, String address, boolean connected, List<String> pools,
            JsonElement description, JsonElement status) {
    }

    /** A pool and its members. */
    record PoolInfo(String pool, List<EndpointInfo> members) {
    }

    Hub(SignalSettings settings, Events events, Consumer<String> warn) {
        this(settings, events, warn, System::nanoTime);
    }

    Hub(SignalSettings settings, Events events, Consumer<String> warn, LongSupplier nanos) {
        this.settings = settings;
        this.jwt = new Jwt(settings.secret(), settings.publicKey());
        this.events = events;
        this.warn = warn;
        this.nanos = nanos;
        this.midPrefix = nodeTag(random);
        this.writers = new Writers(Writers.defaultCount(), "relay-signal-writer", warn);
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "relay-signal-hub");
            t.setDaemon(true);
            return t;
        });
        this.allocator = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "relay-signal-calls");
            t.setDaemon(true);
            return t;
        });
        loop.scheduleWithFixedDelay(() -> guarded(this::tick), TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    // ---------------------------------------------------------------- entry points (any thread)

    SignalSettings settings() {
        return settings;
    }

    void configure(SignalSettings next) {
        settings = next;
        jwt = new Jwt(next.secret(), next.publicKey());
    }

    synchronized void useRelay(RelayService relay) {
        this.relay = relay;
    }

    /** Forgets {@code gone} unless another relay has taken its place already. */
    synchronized void dropRelay(RelayService gone) {
        if (relay == gone) {
            relay = null;
        }
    }

    void post(Runnable task) {
        try {
            loop.execute(() -> guarded(task));
        } catch (RejectedExecutionException e) {
            // stopped: nothing left to tell
        }
    }

    /** Runs {@code question} on the hub's thread and waits (at most 5 s) for its answer. */
    <T> T ask(Callable<T> question) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        post(() -> {
            try {
                answer.complete(question.call());
            } catch (Exception e) {
                answer.completeExceptionally(e);
            }
        });
        try {
            return answer.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the signalling hub did not answer within 5 s");
        }
    }

    void opened(Link link) {
        stats.connections.incrementAndGet();
        post(() -> open(link));
    }

    void frame(Link link, JsonObject frame) {
        post(() -> handle(link, frame));
    }

    /** A frame the link could not read: {@code reason} is an error code of the protocol. */
    void malformed(Link link, String reason, String message) {
        post(() -> {
            Conn c = conns.get(link);
            if (c == null) {
                return;
            }
            stats.refused(reason);
            stats.frame("invalid");
            if (c.member == null) {
                refuse(c, Close.UNAUTHORIZED, "hello first");
                return;
            }
            sendError(c.member, null, reason, message);
        });
    }

    void pong(Link link) {
        post(() -> {
            Conn c = conns.get(link);
            if (c != null) {
                c.missed = 0;
            }
        });
    }

    void closed(Link link, int code) {
        stats.connections.decrementAndGet();
        post(() -> close(link, code));
    }

    /** Ends every session and stops the hub's threads and its writers; what is open is closed with 1001. */
    void stop() {
        post(() -> {
            stopped = true;
            for (Member m : new ArrayList<>(sessions.values())) {
                end(m, "shutdown", Close.GOING_AWAY, "the node is stopping");
            }
            for (Conn c : conns.values()) {
                c.link.close(Close.GOING_AWAY, "the node is stopping");
            }
            conns.clear();
        });
        loop.shutdown();
        try {
            if (!loop.awaitTermination(5, TimeUnit.SECONDS)) {
                loop.shutdownNow();
            }
        } catch (InterruptedException e) {
            loop.shutdownNow();
            Thread.currentThread().interrupt();
        }
        allocator.shutdownNow();
        try {
            allocator.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // after the loop: its last frames and closes (1001) are written, then the writers end
        writers.stop(5000);
    }

    // ---------------------------------------------------------------- operator questions (any thread)

    List<PoolInfo> pools() {
        return ask(() -> {
            List<PoolInfo> all = new ArrayList<>();
            for (Pool p : pools.values()) {
                all.add(info(p));
            }
            return all;
        });
    }

    PoolInfo pool(String name) {
        return ask(() -> {
            Pool p = pools.get(name);
            return p == null ? null : info(p);
        });
    }

    List<EndpointInfo> sessions(String user) {
        return ask(() -> {
            List<EndpointInfo> all = new ArrayList<>();
            for (Member m : sessions.values()) {
                if (user == null || m.user.equals(user)) {
                    all.add(info(m, null));
                }
            }
            all.sort((a, b) -> a.user().equals(b.user()) ? a.endpoint().compareTo(b.endpoint()) : a.user().compareTo(b.user()));
            return all;
        });
    }

    /** @return whether there was such an endpoint: its session ends now, its connection closes with 4403 */
    boolean kick(String endpoint) {
        return ask(() -> {
            Member m = sessions.get(endpoint);
            if (m == null) {
                if (remotes.containsKey(endpoint)) {
                    publish("kick", o -> o.addProperty("id", endpoint));
                    return true;
                }
                return false;
            }
            end(m, "kicked", Close.KICKED, "kicked by an operator");
            return true;
        });
    }

    /**
     * Sets the description of {@code user} in {@code pool} (the back-end's word, over the token's):
     * every member of the pool hears {@code peer-description} for each endpoint of that user in it.
     */
    void describe(String pool, String user, JsonObject description) {
        ask(() -> {
            described(pool, user, description);
            publishDescription(pool, user, description);
            return null;
        });
    }

    private void publishDescription(String pool, String user, JsonObject description) {
        publish("describe", o -> {
            o.addProperty("pool", pool);
            o.addProperty("user", user);
            o.add("description", description);
        });
    }

    /** Stores a description and tells this node's members of the pool. */
    private void described(String pool, String user, JsonObject description) {
        descriptions.computeIfAbsent(pool, k -> new HashMap<>()).put(user, description);
        Pool p = pools.get(pool);
        if (p != null) {
            for (Member m : new ArrayList<>(p.members.values())) {
                if (m.user.equals(user)) {
                    JsonObject o = Json.object("peer-description");
                    o.addProperty("pool", pool);
                    o.addProperty("endpoint", m.id);
                    o.addProperty("user", m.user);
                    o.add("description", description);
                    for (Member x : p.members.values()) {
                        if (x.local()) {
                            send(x, o);
                        }
                    }
                }
            }
        }
    }

    /** @return an HS256 token of the node's secret, or null if it has none */
    String issue(String user, List<String> pools, long ttl, JsonObject description, long nowSeconds) {
        SignalSettings s = settings;
        if (!s.issuesTokens()) {
            return null;
        }
        JsonObject claims = new JsonObject();
        claims.addProperty("sub", user);
        claims.addProperty("iat", nowSeconds);
        claims.addProperty("exp", nowSeconds + ttl);
        JsonArray p = new JsonArray();
        pools.forEach(p::add);
        claims.add("pools", p);
        if (description != null) {
            claims.add("description", description);
        }
        return Jwt.sign(s.secret(), claims);
    }

    // ---------------------------------------------------------------- hub thread

    private void guarded(Runnable task) {
        try {
            task.run();
            flush();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            warn.accept("signalling hub: " + e);
        }
    }

    private void open(Link link) {
        if (stopped) {
            link.close(Close.GOING_AWAY, "the node is stopping");
            return;
        }
        InetAddress ip = link.address();
        int n = perIp.merge(ip, 1, Integer::sum);
        Conn c = new Conn(link, nanos.getAsLong());
        conns.put(link, c);
        if (n > settings.maxConnectionsPerIp()) {
            stats.refused("connections_per_ip");
            refuse(c, Close.TOO_MANY, "too many connections from this address");
        }
    }

    private void close(Link link, int code) {
        Conn c = conns.remove(link);
        if (c == null) {
            return;
        }
        perIp.computeIfPresent(link.address(), (k, v) -> v <= 1 ? null : v - 1);
        if (code == Close.TOO_BIG) {
            stats.refused("frame_too_large");
        }
        Member m = c.member;
        if (m == null || m.conn != c || m.ended) {
            return;
        }
        if (code == Close.NORMAL || code == Close.GOING_AWAY || settings.resumeSeconds() == 0) {
            end(m, "closed", 0, null);
        } else {
            detach(m);
        }
    }

    private void detach(Member m) {
        m.conn = null;
        m.detached = nanos.getAsLong();
    }

    /** Closes a connection that never got (or lost) its session. */
    private void refuse(Conn c, int code, String reason) {
        if (!c.closing) {
            c.closing = true;
            c.link.close(code, reason);
        }
    }

    private void tick() {
        long now = nanos.getAsLong();
        SignalSettings s = settings;
        long helloNanos = s.helloSeconds() * SECOND;
        long beat = s.heartbeatSeconds() * SECOND;
        for (Conn c : new ArrayList<>(conns.values())) {
            if (c.closing) {
                continue;
            }
            if (c.member == null) {
                if (c.resuming != null && now >= c.resumeDeadline) {
                    stats.refused("token");
                    refuse(c, Close.UNAUTHORIZED, "unknown or expired resume token");
                    continue;
                }
                if (now - c.opened >= helloNanos) {
                    stats.refused("hello_timeout");
                    refuse(c, Close.UNAUTHORIZED, "no hello within " + s.helloSeconds() + " s");
                }
                continue;
            }
            if (c.nextPing == 0) {
                c.nextPing = now + beat;
            } else if (now >= c.nextPing) {
                if (c.missed >= 2) {
                    stats.refused("heartbeat");
                    Member m = c.member;
                    if (m.conn == c) {
                        detach(m);
                    }
                    refuse(c, Close.HEARTBEAT, "2 pongs missed");
                    continue;
                }
                c.missed++;
                c.nextPing = now + beat;
                c.link.ping();
            }
        }
        if (bus != null) {
            if (now >= nextAlive) {
                nextAlive = now + beat;
                publish("alive", o -> { });
            }
            for (Map.Entry<String, Long> seen : new ArrayList<>(nodesSeen.entrySet())) {
                if (now - seen.getValue() > 3 * beat) {
                    warn.accept("relay.signal: node " + seen.getKey() + " went silent; its endpoints leave their pools");
                    dropNode(seen.getKey());
                }
            }
        }
        long window = s.resumeSeconds() * SECOND;
        for (Member m : new ArrayList<>(sessions.values())) {
            if (m.conn == null && !m.ended && now - m.detached >= window) {
                end(m, "expired", 0, null);
            }
        }
    }

    private void handle(Link link, JsonObject f) {
        Conn c = conns.get(link);
        if (c == null || c.closing) {
            return;
        }
        String type = Json.string(f, "type");
        stats.frame(type == null ? "invalid" : type);
        if (c.member == null) {
            if (c.resuming != null || !"hello".equals(type)) {
                stats.refused("token");
                refuse(c, Close.UNAUTHORIZED, "the first frame must be hello");
                return;
            }
            hello(c, f);
            return;
        }
        Member m = c.member;
        String id = Json.string(f, "id");
        if (id == null) {
            stats.refused("missing_id");
            sendError(m, null, "missing_id", "every frame needs a string \"id\"");
            return;
        }
        if (f.has("description") || "description".equals(type)) {
            stats.refused("forbidden");
            sendError(m, id, "forbidden", "descriptions are set by the back-end only");
            return;
        }
        if (type == null) {
            stats.refused("invalid_frame");
            sendError(m, id, "invalid_frame", "\"type\" is missing or not a string");
            return;
        }
        switch (type) {
            case "hello" -> sendError(m, id, "invalid_frame", "already welcomed");
            case "ping" -> ack(m, id, null);
            case "join" -> join(m, id, f);
            case "leave" -> leave(m, id, f);
            case "status" -> status(m, id, f);
            case "message" -> message(m, id, f, "message", "body");
            case "data" -> message(m, id, f, "data", "data");
            case "delivered" -> delivered(m, id, f);
            case "signal" -> signal(m, id, f);
            case "relay" -> relay(m, id, f);
            case "relay-end" -> relayEnd(m, id, f);
            default -> {
                stats.refused("unknown_type");
                sendError(m, id, "unknown_type", "no frame type '" + shown(type) + "'");
            }
        }
    }

    private void hello(Conn c, JsonObject f) {
        SignalSettings s = settings;
        String resume = Json.string(f, "resume");
        if (resume != null) {
            Member m = byResume.get(resume);
            if ((m == null || m.ended) && bus != null) {
                // perhaps another node's endpoint: ask them; the owner hands the session over
                c.resuming = resume;
                c.resumeHello = f;
                c.resumeDeadline = nanos.getAsLong() + 2 * SECOND;
                publish("resume", o -> o.addProperty("token", resume));
                return;
            }
            if (m == null || m.ended) {
                stats.refused("token");
                refuse(c, Close.UNAUTHORIZED, "unknown or expired resume token");
                return;
            }
            if (m.conn != null) {
                Conn old = m.conn;
                old.member = null;
                refuse(old, Close.REPLACED, "resumed on another connection");
            }
            byResume.remove(resume);
            m.resume = token(24);
            byResume.put(m.resume, m);
            m.conn = c;
            m.address = c.link.address();
            c.member = m;
            welcome(m, f, true);
            while (!m.buffer.isEmpty()) {
                c.link.send(m.buffer.poll());
            }
            String address = m.address.getHostAddress();
            events.fire(l -> l.resumed(m.id, m.user, address));
            return;
        }
        Jwt.Claims claims;
        try {
            claims = jwt.verify(Json.string(f, "token"), System.currentTimeMillis() / 1000);
        } catch (Jwt.Invalid e) {
            stats.refused("token");
            refuse(c, Close.UNAUTHORIZED, e.getMessage());
            return;
        }
        if (perUser.getOrDefault(claims.user(), 0) >= s.maxConnectionsPerUser()) {
            stats.refused("connections_per_user");
            refuse(c, Close.TOO_MANY, "too many connections for this user");
            return;
        }
        Member m = new Member(token(12), claims, c.link.address());
        m.resume = token(24);
        m.conn = c;
        c.member = m;
        sessions.put(m.id, m);
        byResume.put(m.resume, m);
        perUser.merge(m.user, 1, Integer::sum);
        stats.sessions.incrementAndGet();
        welcome(m, f, false);
        String address = m.address.getHostAddress();
        events.fire(l -> l.connected(m.id, m.user, address));
    }

    private void welcome(Member m, JsonObject hello, boolean resumed) {
        JsonObject w = Json.object("welcome");
        String id = Json.string(hello, "id");
        if (id != null) {
            w.addProperty("id", id);
        }
        w.addProperty("endpoint", m.id);
        w.addProperty("user", m.user);
        w.addProperty("resume", m.resume);
        w.addProperty("heartbeat", settings.heartbeatSeconds());
        w.addProperty("resumed", resumed);
        JsonArray p = new JsonArray();
        m.pools.forEach(p::add);
        w.add("pools", p);
        m.conn.link.send(w.toString());
    }

    private void join(Member m, String id, JsonObject f) {
        String name = pool(m, id, f);
        if (name == null) {
            return;
        }
        if (!m.claims.mayJoin(name)) {
            stats.refused("forbidden");
            sendError(m, id, "forbidden", "the token does not name pool '" + name + "'");
            return;
        }
        if (!m.pools.contains(name) && m.pools.size() >= settings.maxPoolsPerEndpoint()) {
            stats.refused("too_many_pools");
            sendError(m, id, "too_many_pools", "an endpoint may be in " + settings.maxPoolsPerEndpoint() + " pools at most");
            return;
        }
        Pool p = pools.computeIfAbsent(name, Pool::new);
        JsonArray peers = new JsonArray();
        for (Member x : p.members.values()) {
            if (x != m) {
                peers.add(peer(name, x));
            }
        }
        if (!m.pools.contains(name)) {
            JsonObject joined = peer(name, m);
            joined.addProperty("type", "peer-joined");
            joined.addProperty("pool", name);
            for (Member x : p.members.values()) {
                if (x.local()) {
                    send(x, joined);
                }
            }
            p.members.put(m.id, m);
            m.pools.add(name);
            events.fire(l -> l.joined(m.id, m.user, name));
            announceJoin(m, name);
        }
        JsonObject result = new JsonObject();
        result.addProperty("pool", name);
        result.add("description", description(name, m));
        result.add("peers", peers);
        ack(m, id, result);
    }

    private JsonObject peer(String pool, Member x) {
        JsonObject o = new JsonObject();
        o.addProperty("endpoint", x.id);
        o.addProperty("user", x.user);
        o.add("description", description(pool, x));
        o.add("status", x.status);
        return o;
    }

    private JsonElement description(String pool, Member m) {
        Map<String, JsonObject> byUser = descriptions.get(pool);
        JsonObject set = byUser == null ? null : byUser.get(m.user);
        if (set != null) {
            return set;
        }
        return m.claims.description() == null ? JsonNull.INSTANCE : m.claims.description();
    }

    private String pool(Member m, String id, JsonObject f) {
        String name = Json.string(f, "pool");
        if (name == null || !POOL.matcher(name).matches()) {
            stats.refused("invalid_frame");
            sendError(m, id, "invalid_frame", "\"pool\" must be a pool name (letters, digits, . _ : @ -, at most 128)");
            return null;
        }
        return name;
    }

    private void leave(Member m, String id, JsonObject f) {
        String name = pool(m, id, f);
        if (name == null) {
            return;
        }
        if (!m.pools.contains(name)) {
            sendError(m, id, "not_member", "not in pool '" + name + "'");
            return;
        }
        leavePool(m, name);
        ack(m, id, null);
    }

    private void leavePool(Member m, String name) {
        Pool p = pools.get(name);
        m.pools.remove(name);
        if (p != null) {
            p.members.remove(m.id);
            JsonObject left = Json.object("peer-left");
            left.addProperty("pool", name);
            left.addProperty("endpoint", m.id);
            left.addProperty("user", m.user);
            for (Member x : p.members.values()) {
                if (x.local()) {
                    send(x, left);
                }
            }
            if (p.members.isEmpty()) {
                pools.remove(name);
            }
        }
        if (m.local()) {
            events.fire(l -> l.left(m.id, m.user, name));
            publish("leave", o -> {
                o.addProperty("id", m.id);
                o.addProperty("pool", name);
            });
        }
        endCalls(m, false);
    }

    private void status(Member m, String id, JsonObject f) {
        JsonElement data = f.get("data");
        if (data == null || !(data.isJsonObject() || data.isJsonNull())) {
            stats.refused("invalid_frame");
            sendError(m, id, "invalid_frame", "\"data\" must be a JSON object (or null)");
            return;
        }
        m.status = data;
        for (String name : m.pools) {
            JsonObject o = Json.object("peer-status");
            o.addProperty("pool", name);
            o.addProperty("endpoint", m.id);
            o.addProperty("user", m.user);
            o.add("data", data);
            for (Member x : pools.get(name).members.values()) {
                if (x != m && x.local()) {
                    send(x, o);
                }
            }
        }
        publish("status", o -> {
            o.addProperty("id", m.id);
            o.add("data", data);
        });
        ack(m, id, null);
    }

    /** @return whether the two share a pool */
    private static boolean share(Member a, Member b) {
        for (String p : a.pools) {
            if (b.pools.contains(p)) {
                return true;
            }
        }
        return false;
    }

    /** @return the endpoint named by {@code to}, if it shares a pool with {@code m}; else answers the error */
    private Member target(Member m, String id, JsonObject f) {
        String to = Json.string(f, "to");
        if (to == null) {
            stats.refused("invalid_frame");
            sendError(m, id, "invalid_frame", "\"to\" must be an endpoint id");
            return null;
        }
        Member t = member(to);
        if (t == null || t == m || !share(m, t)) {
            sendError(m, id, "unknown_endpoint", "no endpoint '" + shown(to) + "' in a pool of yours");
            return null;
        }
        return t;
    }

    private void message(Member m, String id, JsonObject f, String type, String field) {
        JsonElement payload = f.get(field);
        if (payload == null) {
            stats.refused("invalid_frame");
            sendError(m, id, "invalid_frame", "\"" + field + "\" is missing");
            return;
        }
        int addressed = (f.has("to") ? 1 : 0) + (f.has("user") ? 1 : 0) + (f.has("pool") ? 1 : 0);
        if (addressed != 1) {
            stats.refused("invalid_frame");
            sendError(m, id, "invalid_frame", "name exactly one of \"to\", \"user\" or \"pool\"");
            return;
        }
        List<Member> recipients = new ArrayList<>();
        String pool = null;
        if (f.has("to")) {
            Member t = target(m, id, f);
            if (t == null) {
                return;
            }
            recipients.add(t);
        } else if (f.has("user")) {
            String user = Json.string(f, "user");
            for (Map<String, Member> all : List.of(sessions, remotes)) {
                for (Member x : all.values()) {
                    if (x != m && x.user.equals(user) && share(m, x)) {
                        recipients.add(x);
                    }
                }
            }
            if (recipients.isEmpty()) {
                sendError(m, id, "unknown_user", "no endpoint of '" + shown(String.valueOf(user)) + "' in a pool of yours");
                return;
            }
        } else {
            pool = pool(m, id, f);
            if (pool == null) {
                return;
            }
            if (!m.pools.contains(pool)) {
                sendError(m, id, "not_member", "not in pool '" + pool + "'");
                return;
            }
            for (Member x : pools.get(pool).members.values()) {
                if (x != m) {
                    recipients.add(x);
                }
            }
        }
        String mid = midPrefix + "-" + Long.toString(++midSeq, 36);
        JsonObject out = Json.object(type);
        out.addProperty("from", m.id);
        out.addProperty("user", m.user);
        if (pool != null) {
            out.addProperty("pool", pool);
        } else {
            out.add("pool", JsonNull.INSTANCE);
        }
        out.add(field, payload);
        out.addProperty("mid", mid);
        Set<String> ids = new LinkedHashSet<>();
        for (Member x : recipients) {
            send(x, out);
            ids.add(x.id);
        }
        mids.put(mid, new Mid(m.id, ids));
        JsonObject result = new JsonObject();
        result.addProperty("mid", mid);
        result.addProperty("recipients", recipients.size());
        ack(m, id, result);
    }

    private void delivered(Member m, String id, JsonObject f) {
        String mid = Json.string(f, "mid");
        if (mid != null && bus != null && !mid.startsWith(midPrefix + "-") && mid.indexOf('-') > 0) {
            // another node's message: its node checks the receipt and tells the sender
            publish("delivered", o -> {
                o.addProperty("mid", mid);
                o.addProperty("endpoint", m.id);
                o.addProperty("user", m.user);
            });
            ack(m, id, null);
            return;
        }
        receipt(m.id, m.user, mid, m, id);
    }

    /** A receipt of {@code by} for {@code mid}; {@code answer}/{@code id}: the local endpoint to answer, or null. */
    private void receipt(String by, String byUser, String mid, Member answer, String id) {
        Mid known = mid == null ? null : mids.get(mid);
        if (known == null || !known.recipients().remove(by)) {
            if (answer != null) {
                sendError(answer, id, "unknown_mid", "no message '" + shown(String.valueOf(mid)) + "' awaits a receipt from you");
            }
            return;
        }
        Member sender = member(known.sender());
        if (sender != null) {
            JsonObject o = Json.object("delivered");
            o.addProperty("mid", mid);
            o.addProperty("endpoint", by);
            o.addProperty("user", byUser);
            send(sender, o);
        }
        if (answer != null) {
            ack(answer, id, null);
        }
    }

    private void signal(Member m, String id, JsonObject f) {
        JsonElement data = f.get("data");
        if (data == null) {
            stats.refused("invalid_frame");
            sendError(m, id, "invalid_frame", "\"data\" is missing");
            return;
        }
        Member t = target(m, id, f);
        if (t == null) {
            return;
        }
        JsonObject o = Json.object("signal");
        o.addProperty("from", m.id);
        o.addProperty("user", m.user);
        o.add("data", data);
        send(t, o);
        ack(m, id, null);
    }

    private void relay(Member m, String id, JsonObject f) {
        Member t = target(m, id, f);
        if (t == null) {
            return;
        }
        JsonElement mux = f.get("rtcpMux");
        if (mux != null && !mux.isJsonNull() && !(mux.isJsonPrimitive() && mux.getAsJsonPrimitive().isBoolean())) {
            stats.refused("invalid_frame");
            sendError(m, id, "invalid_frame", "\"rtcpMux\" must be true, false or null");
            return;
        }
        RelayService r = relay;
        if (r == null) {
            sendError(m, id, "unavailable", "the relay is not running");
            return;
        }
        ChannelRequest request;
        try {
            // WebRTC sends RTCP on the RTP port: such a call needs no RTCP ports (two sockets rather than four)
            request = ChannelRequest.of(BareJid.parse(m.user), "signal " + m.id)
                    .withRtcpMux(mux != null && !mux.isJsonNull() && mux.getAsBoolean());
            if (settings.expectPeers()) {
                request = request.withExpectedPeers(ExpectedPeer.of(m.address, 0), ExpectedPeer.of(t.address, 0));
            }
        } catch (IllegalArgumentException e) {
            sendError(m, id, "invalid_frame", e.getMessage());
            return;
        }
        ChannelRequest req = request;
        String a = m.id;
        String b = t.id;
        try {
            allocator.execute(() -> {
                try {
                    RelayChannel ch = r.allocate(req);
                    post(() -> allocated(a, b, id, ch, r));
                } catch (RelayDeniedException e) {
                    post(() -> denied(a, id, e));
                } catch (RuntimeException e) {
                    post(() -> {
                        Member s = sessions.get(a);
                        if (s != null) {
                            sendError(s, id, "unavailable", "the relay could not allocate: " + e.getMessage());
                        }
                    });
                }
            });
        } catch (RejectedExecutionException e) {
            sendError(m, id, "unavailable", "the node is stopping");
        }
    }

    private void denied(String a, String id, RelayDeniedException e) {
        Member s = sessions.get(a);
        if (s == null) {
            return;
        }
        JsonObject extra = new JsonObject();
        extra.addProperty("reason", e.reason().name());
        if (e.policy() != null) {
            extra.addProperty("policy", e.policy());
        }
        if (e.retryAfter() != null) {
            extra.addProperty("retryAfter", e.retryAfter().toMillis() / 1000.0);
        }
        sendError(s, id, "denied", e.getMessage(), extra);
    }

    private void allocated(String a, String b, String id, RelayChannel ch, RelayService r) {
        Member ma = sessions.get(a);
        Member mb = member(b);
        if (ma == null || mb == null || !share(ma, mb)) {
            r.destroyAsync(ch.id(), DestroyReason.REQUESTED);
            if (ma != null) {
                sendError(ma, id, "unknown_endpoint", "the peer left before the channel was made");
            }
            return;
        }
        calls.put(ch.id(), new Call(ch.id(), a, b));
        JsonObject result = side(ch, ch.sideA());
        ack(ma, id, result);
        JsonObject o = side(ch, ch.sideB());
        o.addProperty("type", "relay");
        o.addProperty("from", a);
        o.addProperty("user", ma.user);
        send(mb, o);
    }

    private static JsonObject side(RelayChannel ch, ChannelSide side) {
        JsonObject o = new JsonObject();
        o.addProperty("channel", ch.id());
        o.addProperty("host", side.host() != null ? side.host() : ch.host());
        o.addProperty("port", side.rtpPort());
        if (ch.rtcp()) {
            o.addProperty("rtcpPort", side.rtcpPort());
        } else {
            o.add("rtcpPort", JsonNull.INSTANCE);
        }
        return o;
    }

    /**
     * A hang-up: either endpoint of a call ends its channel at once, rather than holding its ports
     * and its user's quota until the pool or the session ends or the channel idles out. The call
     * is known to the node that allocated it (the caller's).
     */
    private void relayEnd(Member m, String id, JsonObject f) {
        String channel = Json.string(f, "channel");
        if (channel == null || channel.isEmpty()) {
            sendError(m, id, "invalid_frame", "relay-end needs the call's \"channel\"");
            return;
        }
        Call call = calls.get(channel);
        if (call == null || (!call.a().equals(m.id) && !call.b().equals(m.id))) {
            sendError(m, id, "unknown_channel", "no call of this endpoint on channel " + channel);
            return;
        }
        calls.remove(channel);
        RelayService r = relay;
        if (r != null) {
            r.destroyAsync(channel, DestroyReason.REQUESTED);
        }
        Member other = member(call.a().equals(m.id) ? call.b() : call.a());
        if (other != null) {
            JsonObject o = Json.object("relay-ended");
            o.addProperty("channel", channel);
            send(other, o);
        }
        ack(m, id, null);
    }

    /** Destroys the calls of {@code m} whose two endpoints no longer share a pool (all of them if {@code all}). */
    private void endCalls(Member m, boolean all) {
        RelayService r = relay;
        for (Iterator<Call> it = calls.values().iterator(); it.hasNext();) {
            Call call = it.next();
            if (!call.a().equals(m.id) && !call.b().equals(m.id)) {
                continue;
            }
            Member other = member(call.a().equals(m.id) ? call.b() : call.a());
            if (!all && other != null && share(m, other)) {
                continue;
            }
            it.remove();
            if (r != null) {
                r.destroyAsync(call.channel(), DestroyReason.REQUESTED);
            }
            JsonObject o = Json.object("relay-ended");
            o.addProperty("channel", call.channel());
            if (other != null) {
                send(other, o);
            }
            if (!all) {
                send(m, o);
            }
        }
    }

    /** Ends a session: its pools hear peer-left, its calls end, its connection (if any) closes with {@code code}. */
    private void end(Member m, String reason, int code, String closeReason) {
        if (m.ended) {
            return;
        }
        m.ended = true;
        sessions.remove(m.id);
        byResume.remove(m.resume);
        perUser.computeIfPresent(m.user, (k, v) -> v <= 1 ? null : v - 1);
        stats.sessions.decrementAndGet();
        endCalls(m, true);
        for (String name : new ArrayList<>(m.pools)) {
            leavePool(m, name);
        }
        Conn c = m.conn;
        m.conn = null;
        if (c != null) {
            c.member = null;
            if (code != 0) {
                refuse(c, code, closeReason);
            }
        }
        m.buffer.clear();
        events.fire(l -> l.disconnected(m.id, m.user, reason));
        publish("end", o -> o.addProperty("id", m.id));
    }

    /** The last frame written, so a fan-out (a pool message, a presence event) is written to text once. */
    private JsonObject lastSent;
    private String lastText;

    /** Sends {@code o} to {@code m}; {@code o} must not change once sent (a fan-out sends the same object). */
    private void send(Member m, JsonObject o) {
        if (m.ended) {
            return;
        }
        String text;
        if (o == lastSent) {
            text = lastText;
        } else {
            text = o.toString();
            lastSent = o;
            lastText = text;
        }
        if (!m.local()) {
            outgoing.computeIfAbsent(m.node, k -> new LinkedHashMap<>()).computeIfAbsent(text, k -> new ArrayList<>()).add(m.id);
            return;
        }
        if (m.conn != null) {
            m.conn.link.send(text);
            return;
        }
        if (m.overflow) {
            return;
        }
        if (m.buffer.size() >= settings.resumeBuffer()) {
            // ended by a task of its own, after the current one (which may be walking a pool)
            m.overflow = true;
            stats.refused("resume_overflow");
            post(() -> end(m, "overflow", 0, null));
            return;
        }
        m.buffer.add(text);
    }

    private void ack(Member m, String id, JsonObject result) {
        JsonObject o = Json.object("ack");
        o.addProperty("id", id);
        if (result != null) {
            result.entrySet().forEach(e -> o.add(e.getKey(), e.getValue()));
        }
        send(m, o);
    }

    private void sendError(Member m, String id, String code, String message) {
        sendError(m, id, code, message, null);
    }

    private void sendError(Member m, String id, String code, String message, JsonObject extra) {
        send(m, error(id, code, message, extra));
    }

    static JsonObject error(String id, String code, String message, JsonObject extra) {
        JsonObject o = Json.object("error");
        if (id != null) {
            o.addProperty("id", id);
        } else {
            o.add("id", JsonNull.INSTANCE);
        }
        o.addProperty("error", code);
        o.addProperty("message", message);
        if (extra != null) {
            extra.entrySet().forEach(e -> o.add(e.getKey(), e.getValue()));
        }
        return o;
    }

    // ---------------------------------------------------------------- other nodes (hub thread)

    private Member member(String id) {
        Member m = sessions.get(id);
        return m != null ? m : remotes.get(id);
    }

    private interface Fill {
        void into(JsonObject o);
    }

    private void publish(String op, Fill fill) {
        Bus b = bus;
        if (b == null) {
            return;
        }
        JsonObject o = new JsonObject();
        o.addProperty("op", op);
        o.addProperty("node", midPrefix);
        fill.into(o);
        b.publish(o.toString());
    }

    private void announceJoin(Member m, String pool) {
        publish("join", o -> {
            o.addProperty("id", m.id);
            o.addProperty("user", m.user);
            o.addProperty("address", m.address.getHostAddress());
            o.add("description", m.claims.description() == null ? JsonNull.INSTANCE : m.claims.description());
            o.add("status", m.status);
            o.addProperty("pool", pool);
        });
    }

    /** Sends the frames collected for other nodes' endpoints: one bus message per node and frame. */
    private void flush() {
        if (outgoing.isEmpty()) {
            return;
        }
        for (Map.Entry<String, Map<String, List<String>>> node : outgoing.entrySet()) {
            for (Map.Entry<String, List<String>> frame : node.getValue().entrySet()) {
                publish("deliver", o -> {
                    o.addProperty("to", node.getKey());
                    JsonArray ids = new JsonArray();
                    frame.getValue().forEach(ids::add);
                    o.add("ids", ids);
                    o.addProperty("frame", frame.getKey());
                });
            }
        }
        outgoing.clear();
    }

    /** @param next the bus to the other nodes, or null to serve alone (every remote endpoint leaves) */
    void useBus(Bus next) {
        post(() -> {
            if (next == null) {
                for (String node : new ArrayList<>(nodesSeen.keySet())) {
                    dropNode(node);
                }
                for (Member r : new ArrayList<>(remotes.values())) {
                    dropRemote(r);
                }
            }
            bus = next;
            nextAlive = 0;
        });
    }

    /** Our subscription is (again) in place: ask every node for its state, and give ours. */
    void subscribed() {
        post(() -> {
            publish("hi", o -> { });
            announceAll();
        });
    }

    private void announceAll() {
        for (Member m : sessions.values()) {
            for (String pool : m.pools) {
                announceJoin(m, pool);
            }
        }
        descriptions.forEach((pool, byUser) -> byUser.forEach((user, d) -> publishDescription(pool, user, d)));
    }

    /** A message of the bus, on the bus's thread. */
    void remote(String text) {
        post(() -> onRemote(text));
    }

    private void onRemote(String text) {
        JsonObject o;
        try {
            o = Json.parseObject(text);
        } catch (Json.Malformed e) {
            return;
        }
        String node = Json.string(o, "node");
        String op = Json.string(o, "op");
        if (node == null || op == null || node.equals(midPrefix) || bus == null) {
            return;
        }
        if (nodesSeen.put(node, nanos.getAsLong()) == null && !op.equals("hi")) {
            // a node we did not know (new, or back from a partition that made us drop it): ask it for its state
            publish("hi", h -> h.addProperty("to", node));
        }
        String id = Json.string(o, "id");
        switch (op) {
            case "hi" -> {
                String to = Json.string(o, "to");
                if (to == null || to.equals(midPrefix)) {
                    announceAll();
                }
            }
            case "join" -> remoteJoin(node, o);
            case "leave" -> {
                Member r = remotes.get(id);
                String pool = Json.string(o, "pool");
                if (r != null && pool != null && r.pools.contains(pool)) {
                    leavePool(r, pool);
                    if (r.pools.isEmpty()) {
                        remotes.remove(r.id);
                    }
                }
            }
            case "status" -> {
                Member r = remotes.get(id);
                if (r != null) {
                    r.status = o.has("data") ? o.get("data") : JsonNull.INSTANCE;
                    for (String name : r.pools) {
                        JsonObject ps = Json.object("peer-status");
                        ps.addProperty("pool", name);
                        ps.addProperty("endpoint", r.id);
                        ps.addProperty("user", r.user);
                        ps.add("data", r.status);
                        for (Member x : pools.get(name).members.values()) {
                            if (x.local()) {
                                send(x, ps);
                            }
                        }
                    }
                }
            }
            case "end" -> {
                Member r = remotes.get(id);
                if (r != null) {
                    dropRemote(r);
                }
            }
            case "describe" -> {
                String pool = Json.string(o, "pool");
                String user = Json.string(o, "user");
                if (pool != null && user != null && o.get("description") instanceof JsonObject d) {
                    described(pool, user, d);
                }
            }
            case "deliver" -> {
                if (midPrefix.equals(Json.string(o, "to")) && o.get("ids") instanceof JsonArray ids) {
                    String frame = Json.string(o, "frame");
                    JsonObject parsed;
                    try {
                        parsed = Json.parseObject(frame == null ? "" : frame);
                    } catch (Json.Malformed e) {
                        return;
                    }
                    for (JsonElement e : ids) {
                        Member m = e.isJsonPrimitive() ? sessions.get(e.getAsString()) : null;
                        if (m != null) {
                            send(m, parsed);
                        }
                    }
                }
            }
            case "delivered" -> {
                String mid = Json.string(o, "mid");
                if (mid != null && mid.startsWith(midPrefix + "-")) {
                    receipt(Json.string(o, "endpoint"), Json.string(o, "user"), mid, null, null);
                }
            }
            case "resume" -> handOver(node, Json.string(o, "token"));
            case "handover" -> {
                if (midPrefix.equals(Json.string(o, "to"))) {
                    takeOver(node, o);
                }
            }
            case "kick" -> {
                Member m = sessions.get(id);
                if (m != null) {
                    end(m, "kicked", Close.KICKED, "kicked by an operator");
                }
            }
            default -> {
                // "alive", or an operation of a newer node: heard
            }
        }
    }

    private void remoteJoin(String node, JsonObject o) {
        String id = Json.string(o, "id");
        String user = Json.string(o, "user");
        String pool = Json.string(o, "pool");
        if (id == null || user == null || pool == null || sessions.containsKey(id)) {
            return;
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(String.valueOf(Json.string(o, "address"))); // a literal: never looked up
        } catch (java.net.UnknownHostException | RuntimeException e) {
            address = InetAddress.getLoopbackAddress();
        }
        JsonObject description = o.get("description") instanceof JsonObject d ? d : null;
        InetAddress at = address;
        Member r = remotes.computeIfAbsent(id, k -> new Member(id, new Jwt.Claims(user, Set.of(), 0, description), at, node));
        r.node = node; // it may have resumed on that node
        if (o.has("status")) {
            r.status = o.get("status");
        }
        if (r.pools.contains(pool)) {
            return;
        }
        Pool p = pools.computeIfAbsent(pool, Pool::new);
        JsonObject joined = peer(pool, r);
        joined.addProperty("type", "peer-joined");
        joined.addProperty("pool", pool);
        for (Member x : p.members.values()) {
            if (x.local()) {
                send(x, joined);
            }
        }
        p.members.put(r.id, r);
        r.pools.add(pool);
    }

    /** A remote endpoint is gone: it leaves its pools (this node's members hear peer-left) and its calls end. */
    private void dropRemote(Member r) {
        for (String name : new ArrayList<>(r.pools)) {
            leavePool(r, name);
        }
        endCalls(r, true);
        remotes.remove(r.id);
    }

    /**
     * Another node holds a hello with one of our resume tokens: hand the session over. Our peers
     * see nothing; our view keeps the endpoint, now as the other node's.
     */
    private void handOver(String to, String token) {
        Member m = token == null ? null : byResume.get(token);
        if (m == null || m.ended || !m.local()) {
            return;
        }
        if (m.conn != null) {
            Conn old = m.conn;
            old.member = null;
            refuse(old, Close.REPLACED, "resumed on another connection");
            m.conn = null;
        }
        JsonObject state = new JsonObject();
        state.addProperty("to", to);
        state.addProperty("token", token);
        state.addProperty("id", m.id);
        state.addProperty("user", m.user);
        JsonArray allowed = new JsonArray();
        m.claims.pools().forEach(allowed::add);
        state.add("allowed", allowed);
        state.addProperty("exp", m.claims.exp());
        state.add("description", m.claims.description() == null ? JsonNull.INSTANCE : m.claims.description());
        JsonArray joined = new JsonArray();
        m.pools.forEach(joined::add);
        state.add("pools", joined);
        state.add("status", m.status);
        JsonArray buffer = new JsonArray();
        m.buffer.forEach(buffer::add);
        state.add("buffer", buffer);
        // from now on the endpoint is the other node's: same id, same pools, no event for the peers
        m.ended = true;
        sessions.remove(m.id);
        byResume.remove(token);
        perUser.computeIfPresent(m.user, (k, v) -> v <= 1 ? null : v - 1);
        stats.sessions.decrementAndGet();
        Member r = new Member(m.id, m.claims, m.address, to);
        r.status = m.status;
        for (String name : m.pools) {
            Pool p = pools.get(name);
            if (p != null) {
                p.members.put(r.id, r);
                r.pools.add(name);
            }
        }
        if (!r.pools.isEmpty()) {
            remotes.put(r.id, r);
        }
        events.fire(l -> l.disconnected(m.id, m.user, "moved"));
        publish("handover", o -> state.entrySet().forEach(e -> o.add(e.getKey(), e.getValue())));
    }

    /** The session another node handed over for a hello waiting here. */
    private void takeOver(String from, JsonObject state) {
        String token = Json.string(state, "token");
        String id = Json.string(state, "id");
        String user = Json.string(state, "user");
        Conn c = null;
        for (Conn x : conns.values()) {
            if (token != null && token.equals(x.resuming) && !x.closing) {
                c = x;
                break;
            }
        }
        if (c == null || id == null || user == null) {
            // nobody waits for it any more: the session ends everywhere
            if (id != null) {
                Member r = remotes.get(id);
                if (r != null) {
                    dropRemote(r);
                }
                publish("end", o -> o.addProperty("id", id));
            }
            return;
        }
        Set<String> allowed = new LinkedHashSet<>();
        if (state.get("allowed") instanceof JsonArray a) {
            a.forEach(e -> allowed.add(e.getAsString()));
        }
        JsonObject description = state.get("description") instanceof JsonObject d ? d : null;
        long exp = state.has("exp") ? state.get("exp").getAsLong() : 0;
        Member m = new Member(id, new Jwt.Claims(user, allowed, exp, description), c.link.address());
        m.status = state.has("status") ? state.get("status") : JsonNull.INSTANCE;
        if (state.get("buffer") instanceof JsonArray b) {
            b.forEach(e -> m.buffer.add(e.getAsString()));
        }
        remotes.remove(id);
        m.resume = token(24);
        m.conn = c;
        c.member = m;
        JsonObject hello = c.resumeHello;
        c.resuming = null;
        c.resumeHello = null;
        sessions.put(m.id, m);
        byResume.put(m.resume, m);
        perUser.merge(m.user, 1, Integer::sum);
        stats.sessions.incrementAndGet();
        if (state.get("pools") instanceof JsonArray joined) {
            for (JsonElement e : joined) {
                String name = e.getAsString();
                Pool p = pools.computeIfAbsent(name, Pool::new);
                p.members.put(m.id, m);
                m.pools.add(name);
                announceJoin(m, name);
            }
        }
        welcome(m, hello, true);
        while (!m.buffer.isEmpty()) {
            c.link.send(m.buffer.poll());
        }
        String address = m.address.getHostAddress();
        events.fire(l -> l.resumed(m.id, m.user, address));
    }

    private void dropNode(String node) {
        nodesSeen.remove(node);
        for (Member r : new ArrayList<>(remotes.values())) {
            if (node.equals(r.node)) {
                dropRemote(r);
            }
        }
    }

    /** @return this node's id on the bus */
    String nodeId() {
        return midPrefix;
    }

    private PoolInfo info(Pool p) {
        List<EndpointInfo> members = new ArrayList<>();
        for (Member m : p.members.values()) {
            members.add(info(m, p.name));
        }
        return new PoolInfo(p.name, members);
    }

    private EndpointInfo info(Member m, String pool) {
        return new EndpointInfo(m.id, m.user, m.address.getHostAddress(), m.conn != null, List.copyOf(m.pools),
                pool == null ? (m.claims.description() == null ? JsonNull.INSTANCE : m.claims.description())
                        : description(pool, m), m.status);
    }

    /**
     * This node's tag, the prefix of its message ids: letters and digits only, so that the first
     * '-' of a message id always ends its node's tag (a base64url token may hold or begin with one).
     */
    static String nodeTag(java.util.Random random) {
        return Long.toString((random.nextLong() >>> 1) | (1L << 61), 36);
    }

    private String token(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String shown(String s) {
        String one = s.replaceAll("\\p{Cntrl}", "?");
        return one.length() > 64 ? one.substring(0, 61) + "..." : one;
    }
}
