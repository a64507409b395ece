package relay.http;

import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.ee8.servlet.ServletContextHandler;
import org.eclipse.jetty.ee8.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;

import relay.api.RelayStats;
import relay.api.cluster.ClusterNode;
import relay.core.RelayCore;
import relay.core.RelayCoreConfig;
import relay.testing.CapturedLog;
import relay.testing.ComponentConfig;

/**
 * One relay node for tests over real HTTP: a real relay core on 127.0.0.1 (100 ports from
 * {@code portMin}), handing out {@code publicAddress}, and the real {@link RestServlet} served by
 * a real Jetty (12, as Felix HTTP Jetty embeds it) on a free loopback port, mapped at
 * {@code /*} as the whiteboard maps it. Its log is captured under {@code relay.http.<id>}.
 */
final class RestNode implements AutoCloseable {

    private final String id;
    private final String publicAddress;
    private final RelayCore core;
    private final RestServlet servlet;
    private final CapturedLog log;
    private final Server jetty;
    private final GracefulHandler graceful;
    private final URI url;

    private RestNode(String id, String publicAddress, int portMin, String token) throws Exception {
        this.id = id;
        this.publicAddress = publicAddress;
        Map<String, Object> config = new HashMap<>(Map.of("bind.address", "127.0.0.1", "public.address", publicAddress,
                "port.min", portMin, "port.max", portMin + 99, "io.threads", 1));
        core = new RelayCore();
        core.activate(ComponentConfig.of(RelayCoreConfig.class, config));
        log = new CapturedLog("relay.http." + id);
        servlet = new RestServlet(log.logger());
        servlet.bindRelay(core);
        servlet.activate(ComponentConfig.of(HttpConfig.class, Map.of("token", token)));
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(servlet), "/*");
        graceful = new GracefulHandler();
        graceful.setHandler(context.get());
        jetty.setHandler(graceful);
        jetty.start();
        url = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    /**
     * @param id the node's id in its cluster
     * @param publicAddress the host its channels hand out (127.0.0.x: each node's own)
     * @param portMin the first of its 100 relay ports
     * @param token the API token, empty for none (clients on this host only)
     */
    static RestNode start(String id, String publicAddress, int portMin, String token) throws Exception {
        return new RestNode(id, publicAddress, portMin, token);
    }

    String id() {
        return id;
    }

    RelayCore core() {
        return core;
    }

    RestServlet servlet() {
        return servlet;
    }

    CapturedLog log() {
        return log;
    }

    /** @return its REST URL, {@code http://127.0.0.1:PORT} */
    URI url() {
        return url;
    }

    /** @return {@code url() + path} */
    URI at(String path) {
        return URI.create(url + path);
    }

    /** Stops its HTTP listener only: its core runs on and a directory may still name it. */
    void stopHttp() throws Exception {
        // A request in flight finishes first: closing its connection under the answer being written would fail that
        // write and undo the allocation whose answer the client has just read.
        graceful.shutdown().get(5, TimeUnit.SECONDS);
        jetty.stop();
    }

    /**
     * @param asking the id of the node whose view this is
     * @return this node as its last heartbeat would describe it, now
     */
    ClusterNode describe(String asking) {
        RelayStats stats = core.stats();
        double busy = stats.ioLoopBusy().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        return ClusterNode.builder().id(id)
                .publicAddress(publicAddress).restUrl(url)
                .liveChannels(stats.liveChannels()).freePorts(stats.portsFree()).capacity(stats.effectiveCapacity())
                .busyRatio(busy).heartbeat(Instant.now()).local(id.equals(asking)).build();
    }

    @Override
    public void close() throws Exception {
        try {
            jetty.stop();
        } finally {
            core.deactivate();
            log.close();
        }
    }
}
