package relay.signal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServlet;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServletFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.annotations.RequireHttpWhiteboard;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardTarget;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import relay.api.BareJid;

/**
 * {@code /signal} and {@code /signal/*} on relay.http's listener (the whiteboard runtime with
 * {@code relay.http=true}): the WebSocket endpoint (Jetty's WebSocket API, through Felix HTTP
 * Jetty's WebSocket support) and the back-end's REST resources under the REST API's access rules
 * ({@link Access}, with relay.http's token: this component reads PID {@code relay.http}).
 */
@Component(service = Servlet.class, configurationPid = "relay.http", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@HttpWhiteboardServletName("relay.signal")
@HttpWhiteboardServletPattern({"/signal", "/signal/*"})
@HttpWhiteboardTarget("(relay.http=true)")
@RequireHttpWhiteboard
public class SignalServlet extends JettyWebSocketServlet {

    private static final long serialVersionUID = 1L;
    static final int MAX_BODY = 8 * 1024;

    private final transient SignalNode node;
    private final transient Access access = new Access(System::nanoTime);
    private final transient WebResources web = new WebResources();

    /**
     * @param node the node whose hub serves the connections
     * @param properties relay.http's configuration (for its token)
     */
    @Activate
    public SignalServlet(@Reference(name = "node") SignalNode node, Map<String, Object> properties) {
        this.node = node;
        access.useToken(properties.get("token"));
    }

    @Modified
    void modified(Map<String, Object> properties) {
        access.useToken(properties.get("token"));
    }

    @Override
    protected void configure(JettyWebSocketServletFactory factory) {
        Hub hub = node.hub();
        SignalSettings s = hub.settings();
        factory.setMaxTextMessageSize(s.maxFrameBytes());
        factory.setIdleTimeout(Duration.ofSeconds(s.heartbeatSeconds() * 3L + 5));
        factory.setCreator((request, response) -> new SignalSocket(node.hub(), request.getRemoteSocketAddress()));
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
        if (path.equals("/signal")) {
            String upgrade = req.getHeader("Upgrade");
            if (upgrade != null && upgrade.equalsIgnoreCase("websocket")) {
                super.service(req, resp);
                return;
            }
            Answer a = Answer.error(426, "upgrade_required", "/signal is a WebSocket endpoint: connect with ws:// or wss://");
            resp.setStatus(426);
            resp.setHeader("Upgrade", "websocket");
            resp.setHeader("Connection", "Upgrade");
            resp.setHeader("Cache-Control", "no-store");
            byte[] bytes = a.body.toString().getBytes(StandardCharsets.UTF_8);
            resp.setContentType("application/json");
            resp.setContentLength(bytes.length);
            resp.getOutputStream().write(bytes);
            resp.flushBuffer();
            return;
        }
        if (WebResources.serves(path)) {
            web.serve(req, resp, path);
            return;
        }
        Answer a;
        try {
            Access.Refusal r = access.check(remote(req.getRemoteAddr()), req.getHeader("Host"), req.getHeader("Authorization"));
            a = r != null ? Answer.error(r.status(), r.error(), r.message()).retry(r.retryAfter()) : rest(req, path);
        } catch (BadRequest e) {
            a = Answer.error(e instanceof Unsupported ? 415 : 400, e.code, e.getMessage());
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            node.logger().error("signal REST " + req.getMethod() + " failed", e);
            a = Answer.error(503, "unavailable", "the node could not handle this request; its log says why");
        }
        resp.setStatus(a.status);
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        if (a.status == 401) {
            resp.setHeader("WWW-Authenticate", "Bearer realm=\"relay\"");
        }
        if (a.retryAfter > 0) {
            resp.setHeader("Retry-After", Long.toString(a.retryAfter));
        }
        if (a.allow != null) {
            resp.setHeader("Allow", a.allow);
        }
        if (a.body != null) {
            byte[] bytes = a.body.toString().getBytes(StandardCharsets.UTF_8);
            resp.setContentType("application/json");
            resp.setContentLength(bytes.length);
            resp.getOutputStream().write(bytes);
        }
        resp.flushBuffer();
    }

    private static class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String code;

        BadRequest(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    private static final class Answer {
        final int status;
        final JsonElement body;
        long retryAfter;
        String allow;

        Answer(int status, JsonElement body) {
            this.status = status;
            this.body = body;
        }

        static Answer error(int status, String error, String message) {
            JsonObject o = new JsonObject();
            o.addProperty("error", error);
            o.addProperty("message", message);
            return new Answer(status, o);
        }

        Answer retry(long seconds) {
            retryAfter = seconds;
            return this;
        }

        static Answer methods(String allow) {
            Answer a = error(405, "method_not_allowed", "this resource accepts " + allow);
            a.allow = allow;
            return a;
        }
    }

    private Answer rest(HttpServletRequest req, String path) throws IOException {
        String method = req.getMethod();
        String[] parts = path.substring(1).split("/", -1); // signal, ...
        Hub hub = node.hub();
        if (parts.length == 2 && parts[1].equals("tokens")) {
            if (!method.equals("POST")) {
                return Answer.methods("POST");
            }
            return issue(hub, body(req));
        }
        if (parts.length == 2 && parts[1].equals("pools")) {
            if (!method.equals("GET")) {
                return Answer.methods("GET");
            }
            JsonArray all = new JsonArray();
            for (Hub.PoolInfo p : hub.pools()) {
                JsonObject o = new JsonObject();
                o.addProperty("pool", p.pool());
                o.addProperty("endpoints", p.members().size());
                all.add(o);
            }
            return new Answer(200, all);
        }
        if (parts.length == 3 && parts[1].equals("pools")) {
            if (!method.equals("GET")) {
                return Answer.methods("GET");
            }
            Hub.PoolInfo p = hub.pool(parts[2]);
            if (p == null) {
                return Answer.error(404, "not_found", "no pool '" + Hub.shown(parts[2]) + "' with members");
            }
            JsonObject o = new JsonObject();
            o.addProperty("pool", p.pool());
            JsonArray members = new JsonArray();
            p.members().forEach(m -> members.add(endpoint(m)));
            o.add("members", members);
            return new Answer(200, o);
        }
        if (parts.length == 6 && parts[1].equals("pools") && parts[3].equals("users") && parts[5].equals("description")) {
            if (!method.equals("PUT")) {
                return Answer.methods("PUT");
            }
            String pool = parts[2];
            if (!Hub.POOL.matcher(pool).matches()) {
                throw new BadRequest("invalid_pool", "not a pool name");
            }
            String user = jid(parts[4]);
            JsonObject description = body(req);
            hub.describe(pool, user, description);
            return new Answer(204, null);
        }
        if (parts.length == 2 && parts[1].equals("endpoints")) {
            if (!method.equals("GET")) {
                return Answer.methods("GET");
            }
            String user = query(req.getQueryString(), "user");
            JsonArray all = new JsonArray();
            hub.sessions(user == null ? null : jid(user)).forEach(m -> all.add(endpoint(m)));
            return new Answer(200, all);
        }
        if (parts.length == 3 && parts[1].equals("endpoints")) {
            if (!method.equals("DELETE")) {
                return Answer.methods("DELETE");
            }
            return hub.kick(parts[2]) ? new Answer(204, null)
                    : Answer.error(404, "not_found", "no endpoint '" + Hub.shown(parts[2]) + "'");
        }
        return Answer.error(404, "not_found", "no such resource; the node has /signal (WebSocket), /signal/tokens,"
                + " /signal/pools, /signal/pools/{pool}, /signal/pools/{pool}/users/{jid}/description,"
                + " /signal/endpoints and /signal/endpoints/{id}");
    }

    private Answer issue(Hub hub, JsonObject body) {
        String user = jid(string(body, "user", true));
        List<String> pools = new ArrayList<>();
        JsonElement p = body.get("pools");
        if (p != null && !p.isJsonNull()) {
            if (!p.isJsonArray()) {
                throw new BadRequest("invalid_body", "\"pools\" must be an array of pool names");
            }
            for (JsonElement e : p.getAsJsonArray()) {
                String name = e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : null;
                if (name == null || !(name.equals("*") || Hub.POOL.matcher(name).matches())) {
                    throw new BadRequest("invalid_body", "\"pools\" holds something that is not a pool name or \"*\"");
                }
                pools.add(name);
            }
        }
        long ttl = 3600;
        JsonElement t = body.get("ttl");
        if (t != null && !t.isJsonNull()) {
            if (!(t instanceof JsonPrimitive tp) || !tp.isNumber() || tp.getAsDouble() != Math.rint(tp.getAsDouble())) {
                throw new BadRequest("invalid_body", "\"ttl\" must be a whole number of seconds");
            }
            ttl = tp.getAsLong();
        }
        int max = hub.settings().tokenMaxTtl();
        if (ttl < 1 || ttl > max) {
            throw new BadRequest("invalid_body", "\"ttl\" must be 1.." + max + " seconds");
        }
        JsonElement d = body.get("description");
        if (d != null && !d.isJsonNull() && !d.isJsonObject()) {
            throw new BadRequest("invalid_body", "\"description\" must be a JSON object");
        }
        long now = System.currentTimeMillis() / 1000;
        String token = hub.issue(user, pools, ttl, d == null || d.isJsonNull() ? null : d.getAsJsonObject(), now);
        if (token == null) {
            return Answer.error(503, "no_secret", "this node has no jwt.secret: it takes tokens of an identity provider only");
        }
        JsonObject o = new JsonObject();
        o.addProperty("token", token);
        o.addProperty("user", user);
        o.addProperty("expires", now + ttl);
        return new Answer(200, o);
    }

    private static JsonObject endpoint(Hub.EndpointInfo m) {
        JsonObject o = new JsonObject();
        o.addProperty("endpoint", m.endpoint());
        o.addProperty("user", m.user());
        o.addProperty("address", m.address());
        o.addProperty("connected", m.connected());
        JsonArray pools = new JsonArray();
        m.pools().forEach(pools::add);
        o.add("pools", pools);
        o.add("description", m.description());
        o.add("status", m.status());
        return o;
    }

    private static String jid(String text) {
        try {
            return BareJid.parse(text).toString();
        } catch (IllegalArgumentException e) {
            throw new BadRequest("invalid_user", e.getMessage());
        }
    }

    private static String string(JsonObject o, String key, boolean required) {
        String v = Json.string(o, key);
        if (v == null && required) {
            throw new BadRequest("invalid_body", "\"" + key + "\" must be a string");
        }
        return v;
    }

    private static String query(String query, String name) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        String found = null;
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            if (k.equals(name)) {
                if (found != null) {
                    throw new BadRequest("invalid_query", "'" + name + "' twice");
                }
                try {
                    found = URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new BadRequest("invalid_query", "a malformed percent escape");
                }
            }
        }
        return found;
    }

    private static JsonObject body(HttpServletRequest req) throws IOException {
        String type = req.getContentType();
        if (type == null || !type.split(";")[0].strip().toLowerCase(Locale.ROOT).equals("application/json")) {
            throw new Unsupported();
        }
        if (req.getContentLengthLong() > MAX_BODY) {
            throw new BadRequest("body_too_large", "the body is larger than " + MAX_BODY + " bytes");
        }
        byte[] bytes;
        try (InputStream in = req.getInputStream()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (bytes.length > MAX_BODY) {
            throw new BadRequest("body_too_large", "the body is larger than " + MAX_BODY + " bytes");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new BadRequest("invalid_json", "the body is not UTF-8 text");
        }
        try {
            return Json.parseObject(text);
        } catch (Json.Malformed e) {
            throw new BadRequest("invalid_json", "the body must be one JSON object");
        }
    }

    /** A body that is not JSON: 415. */
    private static final class Unsupported extends BadRequest {
        private static final long serialVersionUID = 1L;

        Unsupported() {
            super("unsupported_media_type", "send the body as 'Content-Type: application/json' (UTF-8)");
        }
    }

    private static InetAddress remote(String address) {
        if (address == null) {
            return null;
        }
        String a = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
        if (a.isEmpty() || !a.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':' || c == '%')) {
            return null;
        }
        try {
            return InetAddress.getByName(a);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
