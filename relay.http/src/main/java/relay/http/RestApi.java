package relay.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;

import org.osgi.service.log.Logger;

import relay.api.BareJid;
import relay.api.ChannelRequest;
import relay.api.RelayChannel;
import relay.api.RelayDeniedException;
import relay.api.RelayService;

/**
 * The REST API's rules: who may call it, which resources exist, and how every outcome of
 * {@link RelayService} maps to a status and a JSON body. Never answers 500: an unexpected
 * failure is logged and answered 503 without its details.
 */
final class RestApi {

    /** The largest request body accepted; an allocation request needs about 50 bytes. */
    static final int MAX_BODY = 8 * 1024;

    private static final String ROOT = "/relay";
    private static final String CHANNELS = "/channels";
    private static final String STATS = "/stats";

    private final Logger log;
    private volatile RelayService relay;
    private volatile byte[] token = new byte[0];

    /** @param log where an unexpected failure is logged */
    RestApi(Logger log) {
        this.log = log;
    }

    /** @param relay the relay to serve, or null while there is none */
    void useRelay(RelayService relay) {
        this.relay = relay;
    }

    /** @param token the bearer token clients must present, empty for none (loopback clients only) */
    void useToken(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    ApiResponse handle(ApiRequest request) {
        try {
            ApiResponse refused = checkAccess(request);
            return refused != null ? refused : route(request);
        } catch (BadRequest e) {
            return ApiResponse.error(400, e.code(), e.getMessage());
        } catch (RuntimeException e) {
            log.error("REST " + request.method() + " " + request.path() + " failed", e);
            return ApiResponse.error(503, "unavailable", "the relay could not handle this request; its log says why");
        }
    }

    private ApiResponse checkAccess(ApiRequest request) {
        byte[] expected = token;
        if (expected.length == 0) {
            if (request.remote() != null && request.remote().isLoopbackAddress()) {
                return null;
            }
            return unauthorized("this relay has no API token, so only clients on this host may use the API");
        }
        String header = request.authorization();
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return unauthorized("send the API token as 'Authorization: Bearer <token>'");
        }
        byte[] presented = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, presented) ? null : unauthorized("the bearer token is wrong");
    }

    private static ApiResponse unauthorized(String message) {
        return ApiResponse.error(401, "unauthorized", message, Map.of("WWW-Authenticate", "Bearer realm=\"relay\""));
    }

    private ApiResponse route(ApiRequest request) {
        String full = request.path() == null ? "" : request.path();
        String path = full.startsWith(ROOT + "/") ? full.substring(ROOT.length()) : "";
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String method = request.method(); // case-sensitive (RFC 9110)
        if (path.equals(CHANNELS)) {
            return switch (method) {
                case "GET" -> withRelay(relay -> list(relay, request.user()));
                case "POST" -> allocate(request);
                default -> methodNotAllowed("GET, POST");
            };
        }
        if (path.startsWith(CHANNELS + "/") && path.indexOf('/', CHANNELS.length() + 1) < 0) {
            String id = path.substring(CHANNELS.length() + 1);
            return switch (method) {
                case "GET" -> withRelay(relay -> relay.channel(id).map(c -> ApiResponse.ok(Json.channel(c))).orElseGet(() -> notFound(id)));
                case "DELETE" -> withRelay(relay -> relay.destroy(id).map(c -> ApiResponse.noContent()).orElseGet(() -> notFound(id)));
                default -> methodNotAllowed("GET, DELETE");
            };
        }
        if (path.equals(STATS)) {
            return method.equals("GET") ? withRelay(relay -> ApiResponse.ok(Json.stats(relay.stats())))
                    : methodNotAllowed("GET");
        }
        return ApiResponse.error(404, "not_found",
                "no such resource; the API has /relay/channels, /relay/channels/{id} and /relay/stats");
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

    private static ApiResponse notFound(String id) {
        String shown = id.length() > 64 ? id.substring(0, 61) + "..." : id;
        return ApiResponse.error(404, "not_found", "no live channel '" + shown + "'");
    }

    private static ApiResponse methodNotAllowed(String allow) {
        return ApiResponse.error(405, "method_not_allowed", "this resource accepts " + allow, Map.of("Allow", allow));
    }

    private ApiResponse allocate(ApiRequest request) {
        // Read and check everything before asking the relay, so that a bad request holds nothing.
        BareJid user = jid(Json.user(body(request)));
        String origin = "rest " + (request.remote() == null ? "?" : request.remote().getHostAddress());
        return withRelay(relay -> allocate(relay, ChannelRequest.of(user, origin)));
    }

    private ApiResponse allocate(RelayService relay, ChannelRequest request) {
        RelayChannel channel;
        try {
            channel = relay.allocate(request);
        } catch (RelayDeniedException e) {
            return denied(e);
        } catch (IllegalArgumentException e) {
            return ApiResponse.error(400, "invalid_user", e.getMessage());
        }
        String id = channel.id();
        try {
            return ApiResponse.created(Json.channel(channel), "/relay/channels/" + id, () -> relay.destroy(id));
        } catch (RuntimeException e) {
            relay.destroy(id); // the caller will never learn of it
            throw e;
        }
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

    private static String body(ApiRequest request) {
        if (request.contentLength() > MAX_BODY) {
            throw tooLarge();
        }
        byte[] bytes;
        try (InputStream in = request.body()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        } catch (IOException e) {
            throw new BadRequest("invalid_body", "the body could not be read: " + e.getMessage());
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
