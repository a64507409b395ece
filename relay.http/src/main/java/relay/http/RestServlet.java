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

/**
 * The REST API as a whiteboard servlet on the listener of {@link HttpListener} only, which it
 * owns whole: the API lives under {@code /relay}, and any other path is a JSON 404 too. Adapts the servlet container to {@link RestApi}. While no
 * {@link RelayService} is there, it answers 503 rather than vanishing.
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
        if (!token.isEmpty()) {
            logger.info("REST API: clients must send the bearer token");
        } else if (settings.loopbackOnly()) {
            logger.info("REST API: no token, clients on this host only");
        } else {
            logger.warn("REST API: no token, so only clients on this host are served, though it listens on " + settings.address());
        }
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        // Only a GET reads the query: on a POST, getParameter would consume a form-encoded body.
        String user = "GET".equals(req.getMethod()) ? req.getParameter("user") : null;
        String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
        ApiResponse answer = api.handle(new ApiRequest(req.getMethod(), path, user, req.getHeader("Authorization"),
                remote(req), req.getContentLengthLong(), req.getInputStream()));
        try {
            resp.setStatus(answer.status());
            resp.setHeader("Cache-Control", "no-store");
            answer.headers().forEach(resp::setHeader);
            if (answer.body() != null) {
                byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
                resp.setContentType("application/json;charset=utf-8");
                resp.setContentLength(bytes.length);
                OutputStream out = resp.getOutputStream();
                out.write(bytes);
            }
            resp.flushBuffer();
        } catch (IOException | RuntimeException e) {
            answer.undo().run();
            throw e;
        }
    }

    private static InetAddress remote(HttpServletRequest req) {
        String address = req.getRemoteAddr();
        if (address == null) {
            return null;
        }
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        try {
            return InetAddress.getByName(address); // a literal: no name lookup
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
