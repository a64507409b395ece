package relay.signal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The browser files the node serves from its bundle, to anyone (they hold no secret):
 * {@code /signal/client.js} (the client library, an ES module) and {@code /signal/demo/} (the video
 * room page). Revalidated on every use ({@code no-cache} with a strong ETag), so a new bundle's files
 * reach browsers at once while an unchanged one costs a 304.
 */
final class WebResources {

    private static final Map<String, String> FILES = Map.of(
            "/signal/client.js", "web/client.js",
            "/signal/demo/", "web/demo/index.html",
            "/signal/demo/index.html", "web/demo/index.html",
            "/signal/demo/demo.js", "web/demo/demo.js",
            "/signal/demo/demo.css", "web/demo/demo.css");

    private record File(byte[] bytes, String type, String etag) {
    }

    private final Map<String, File> cache = new ConcurrentHashMap<>();

    /** Whether {@code path} is one of the browser files (or {@code /signal/demo}, which redirects). */
    static boolean serves(String path) {
        return FILES.containsKey(path) || path.equals("/signal/demo");
    }

    void serve(HttpServletRequest req, HttpServletResponse resp, String path) throws IOException {
        String method = req.getMethod();
        resp.setHeader("X-Content-Type-Options", "nosniff");
        if (!method.equals("GET") && !method.equals("HEAD")) {
            resp.setStatus(405);
            resp.setHeader("Allow", "GET, HEAD");
            resp.setHeader("Cache-Control", "no-store");
            byte[] body = ("{\"error\":\"method_not_allowed\",\"message\":\"this resource accepts GET, HEAD\"}")
                    .getBytes(StandardCharsets.UTF_8);
            resp.setContentType("application/json");
            resp.setContentLength(body.length);
            resp.getOutputStream().write(body);
            return;
        }
        if (path.equals("/signal/demo")) {
            resp.setStatus(301);
            resp.setHeader("Location", "/signal/demo/");
            resp.setHeader("Cache-Control", "no-cache");
            resp.setContentLength(0);
            return;
        }
        File f = cache.computeIfAbsent(path, p -> load(FILES.get(p)));
        resp.setHeader("Cache-Control", "no-cache");
        resp.setHeader("ETag", f.etag);
        if (path.startsWith("/signal/demo/")) {
            // the page uses only its own files and the node's WebSocket (any ws:// or wss:// URL the user types)
            resp.setHeader("Content-Security-Policy", "default-src 'self'; connect-src 'self' ws: wss:;"
                    + " media-src 'self' blob: mediastream:; img-src 'self' data:; frame-ancestors 'none'");
            resp.setHeader("Referrer-Policy", "no-referrer");
        }
        String match = req.getHeader("If-None-Match");
        if (match != null && (match.trim().equals("*") || java.util.Arrays.stream(match.split(","))
                .map(String::trim).map(m -> m.startsWith("W/") ? m.substring(2) : m).anyMatch(f.etag::equals))) {
            resp.setStatus(304);
            return;
        }
        resp.setStatus(200);
        resp.setContentType(f.type);
        resp.setContentLength(f.bytes.length);
        if (method.equals("GET")) {
            resp.getOutputStream().write(f.bytes);
        }
    }

    private static File load(String resource) {
        try (InputStream in = WebResources.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the bundle lacks " + resource);
            }
            byte[] bytes = in.readAllBytes();
            String type = resource.endsWith(".js") ? "text/javascript; charset=utf-8"
                    : resource.endsWith(".css") ? "text/css; charset=utf-8" : "text/html; charset=utf-8";
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            String etag = "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22) + "\"";
            return new File(bytes, type, etag);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
