package relay.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.http.whiteboard.annotations.RequireHttpWhiteboard;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardTarget;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import relay.api.RelayService;
import relay.api.cluster.Cluster;

/**
 * The REST API as a whiteboard servlet on the listener of {@link HttpListener} only, which it
 * owns whole: the API lives under {@code /relay}, and any other path is a JSON 404 too. Adapts
 * the servlet container to {@link RestApi}. While no {@link RelayService} is there, it answers
 * 503 rather than vanishing. It never adds CORS headers: no browser page of another origin may
 * read its answers, and a preflight ({@code OPTIONS}) is answered 405. With a {@link Cluster}
 * service (optional, dynamic), it answers for the cluster's channels too.
 */
@Component(service = Servlet.class, configurationPid = HttpConfig.PID)
@HttpWhiteboardServletName("relay.rest")
@HttpWhiteboardServletPattern("/*")
@HttpWhiteboardTarget("(" + HttpListener.RUNTIME_PROPERTY + "=true)")
@RequireHttpWhiteboard
public class RestServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Logger logger;
    private final transient RestApi api;
    private transient String token;

    /** @param logger this component's logger, from the OSGi Log Service */
    @Activate
    public RestServlet(@Reference(name = "logger", service = LoggerFactory.class) Logger logger) {
        this.logger = logger;
        this.api = new RestApi(logger);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindRelay(RelayService relay) {
        api.useRelay(relay);
    }

    void unbindRelay(RelayService relay) {
        api.useRelay(null);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindCluster(Cluster cluster) {
        api.useCluster(cluster);
    }

    void unbindCluster(Cluster cluster) {
        api.dropCluster(cluster);
    }

    /** Other bundles' metric families for /metrics (relay.signal's), as whiteboard services. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addCollector(io.prometheus.metrics.model.registry.MultiCollector collector) {
        api.addCollector(collector);
    }

    void removeCollector(io.prometheus.metrics.model.registry.MultiCollector collector) {
        api.dropCollector(collector);
    }

    @Activate
    void activate(HttpConfig config) {
        modified(config);
    }

    /** Takes the new token at once. An invalid configuration is reported by {@link HttpListener}. */
    @Modified
    void modified(HttpConfig config) {
        HttpSettings settings;
        try {
            settings = HttpSettings.from(config);
        } catch (RuntimeException e) {
            return; // the previous token stays in force
        }
        if (settings.token().equals(token)) {
            return;
        }
        token = settings.token();
        api.useToken(token);
        logger.info(token.isEmpty() ? "REST API: no token, clients on this host only"
                : "REST API: clients must send the bearer token");
    }

    /**
     * Hands the request to {@link RestApi} and writes its answer. Reads nothing through the
     * container's parameter parsing (which answers a malformed query with a page of its own) and
     * lets no exception out: whatever fails before the answer is written is a JSON 503.
     */
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ApiResponse answer;
        try {
            answer = api.handle(request(req));
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            logger.error("REST " + req.getMethod() + " could not be read", e);
            answer = ApiResponse.error(503, "unavailable", "the relay could not handle this request; its log says why");
        }
        try {
            write(resp, answer);
        } catch (IOException e) {
            answer.undo().run(); // the client is gone: there is nobody to answer
            throw e;
        } catch (RuntimeException e) {
            answer.undo().run();
            logger.error("REST " + req.getMethod() + " answer could not be written", e);
            if (!resp.isCommitted()) {
                resp.reset();
                write(resp, ApiResponse.error(503, "unavailable", "the relay could not answer this request; its log says why"));
            }
        }
    }

    private static ApiRequest request(HttpServletRequest req) throws IOException {
        String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
        return new ApiRequest(req.getMethod(), path, req.getQueryString(), req.getHeader("Host"),
                req.getHeader("Content-Type"), req.getHeader("Authorization"), accept(req), remote(req), req.getContentLengthLong(),
                req.getInputStream(), req.getHeader(ClusterCalls.FORWARDED_BY));
    }

    /** @return every {@code Accept} header of the request as one list, or null for none */
    private static String accept(HttpServletRequest req) {
        java.util.Enumeration<String> headers = req.getHeaders("Accept");
        if (headers == null || !headers.hasMoreElements()) {
            return null;
        }
        return String.join(",", java.util.Collections.list(headers));
    }

    private static void write(HttpServletResponse resp, ApiResponse answer) throws IOException {
        resp.setStatus(answer.status());
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        answer.headers().forEach(resp::setHeader);
        if (answer.body() != null) {
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            resp.setContentType(answer.contentType());
            resp.setContentLength(bytes.length);
            OutputStream out = resp.getOutputStream();
            out.write(bytes);
        }
        resp.flushBuffer();
    }

    private static InetAddress remote(HttpServletRequest req) {
        String address = req.getRemoteAddr();
        if (address == null) {
            return null;
        }
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        if (address.isEmpty() || !address.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':' || c == '%')) {
            return null; // not a literal: never looked up
        }
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
