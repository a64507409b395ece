package relay.xmpp;

import java.io.BufferedWriter;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The component's connection to its XMPP server (XEP-0114): one owner thread, {@code relay-xmpp},
 * connects, opens the stream, authenticates with the handshake (SHA-1 of the stream id and the
 * secret, in hex), then reads stanzas as they come and hands each to the {@link JingleNodes}
 * handler; when the server goes, it tries again every {@code reconnect.seconds}. A server can also
 * vanish without closing the connection (host down, network cut, hung): after {@code ping.seconds}
 * without a byte from it the link pings it (XEP-0199), and if nothing at all arrives within
 * {@code ping.timeout.seconds} more, it closes the socket and reconnects as for a closed stream.
 * The quiet is measured by the socket's read timeout on the owner thread itself: no timer thread.
 * Writes from any thread are serialised. The stream is parsed incrementally with the JDK's StAX,
 * hardened: no DTD, no external entity, a bounded stanza size and depth. {@link #stop()} closes
 * the socket and ends the thread.
 */
final class ComponentLink {

    static final String NS_STREAMS = "http://etherx.jabber.org/streams";
    static final String NS_ACCEPT = "jabber:component:accept";
    static final String NS_STREAM_ERRORS = "urn:ietf:params:xml:ns:xmpp-streams";
    /** The largest stanza read (bytes, give or take the parser's read-ahead of a few KiB). */
    static final int MAX_STANZA_BYTES = 64 * 1024;
    static final int MAX_DEPTH = 32;
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final int HANDSHAKE_TIMEOUT_MS = 30_000;
    /** The id of the link's pings, a number following; answers with it are the link's, not requests. */
    static final String PING_ID = "relay-ping-";

    private final XmppSettings settings;
    private final JingleNodes handler;
    private final LinkLosses losses;
    private final Consumer<String> info;
    private final Consumer<String> warn;
    private final XMLInputFactory xml;
    private final Object writeLock = new Object();
    private final Thread thread;

    private volatile boolean running = true;
    private volatile Socket socket;
    private Writer out; // guarded by writeLock
    private volatile String state = "connecting";
    private volatile Instant since = Instant.now();
    private volatile long connections;
    private volatile long failures;
    private volatile String lastError = "";
    private volatile Instant lastHeard;
    private volatile long pingsSent;
    private volatile long pingsAnswered;
    /** Why the session in progress ended: {@link LinkLosses#CAUSES}; owner thread only. */
    private String cause;

    ComponentLink(XmppSettings settings, JingleNodes handler, LinkLosses losses, Consumer<String> info,
            Consumer<String> warn) {
        this.settings = settings;
        this.handler = handler;
        this.losses = losses;
        this.info = info;
        this.warn = warn;
        this.xml = hardened();
        this.thread = new Thread(this::run, "relay-xmpp");
        thread.setDaemon(true);
    }

    /** The JDK's own StAX (never one a bundle or the TCCL brings), refusing DTDs and external entities. */
    static XMLInputFactory hardened() {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, false);
        return f;
    }

    void start() {
        thread.start();
    }

    /** Closes the stream and the socket, ends the thread (waiting for it at most 10 s). */
    void stop() {
        running = false;
        synchronized (writeLock) {
            if (out != null) {
                try {
                    out.write("</stream:stream>");
                    out.flush();
                } catch (IOException e) {
                    // going anyway
                }
            }
        }
        closeSocket();
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        state = "stopped";
    }

    boolean alive() {
        return thread.isAlive();
    }

    /** @return what {@code xmpp:status} shows of the link */
    Map<String, String> status() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("state", state);
        m.put("since", since.toString());
        m.put("server", settings.host() + ":" + settings.port());
        m.put("domain", settings.domain());
        m.put("connections", Long.toString(connections));
        m.put("failures", Long.toString(failures));
        m.put("last error", lastError.isEmpty() ? "-" : lastError);
        m.put("ping", settings.pingSeconds() == 0 ? "off"
                : "after " + settings.pingSeconds() + " s of quiet, dead " + settings.pingTimeoutSeconds() + " s later");
        Instant heard = lastHeard;
        m.put("last heard", heard == null ? "-" : heard.toString());
        m.put("pings", pingsSent + " sent, " + pingsAnswered + " answered");
        return m;
    }

    String state() {
        return state;
    }

    /** Writes one stanza; a write that fails closes the socket, and the owner thread reconnects. */
    void send(String stanza) {
        synchronized (writeLock) {
            if (out == null) {
                return;
            }
            try {
                out.write(stanza);
                out.flush();
            } catch (IOException e) {
                out = null;
                closeSocket();
            }
        }
    }

    private void run() {
        boolean reported = false;
        while (running) {
            cause = "error";
            try {
                session();
            } catch (IOException | XMLStreamException | RuntimeException e) {
                if (!running) {
                    break;
                }
                failures++;
                lastError = message(e);
                if (state.equals("connected")) {
                    losses.lost(cause);
                }
                if (!reported || state.equals("connected")) {
                    warn.accept("relay.xmpp: component " + settings.domain() + " at " + settings.host() + ":"
                            + settings.port() + ": " + lastError + "; trying again every " + settings.reconnectSeconds() + " s");
                }
                reported = true;
            } finally {
                synchronized (writeLock) {
                    out = null;
                }
                closeSocket();
            }
            if (!running) {
                break;
            }
            state = "disconnected";
            since = Instant.now();
            try {
                Thread.sleep(settings.reconnectSeconds() * 1000L);
            } catch (InterruptedException e) {
                // stop() or a reconfiguration: the loop's condition decides
            }
            state = "connecting";
        }
    }

    private static String message(Throwable e) {
        if (e instanceof XMLStreamException x && x.getNestedException() instanceof IOException io) {
            e = io; // thrown by the stream under the parser: its own words, without the parser's position
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.replace('\n', ' ');
    }

    /** One connection, from the TCP connect to its end; returns when the server closed the stream. */
    private void session() throws IOException, XMLStreamException {
        Socket s = new Socket();
        socket = s;
        if (!running) {
            s.close();
            return;
        }
        s.connect(new InetSocketAddress(settings.host(), settings.port()), CONNECT_TIMEOUT_MS);
        s.setKeepAlive(true);
        s.setTcpNoDelay(true);
        s.setSoTimeout(HANDSHAKE_TIMEOUT_MS);
        Bounded in = new Bounded(s.getInputStream(), s);
        synchronized (writeLock) {
            out = new BufferedWriter(new OutputStreamWriter(s.getOutputStream(), StandardCharsets.UTF_8));
            out.write("<?xml version='1.0'?><stream:stream xmlns='" + NS_ACCEPT + "' xmlns:stream='" + NS_STREAMS
                    + "' to='" + Xml.escape(settings.domain()) + "'>");
            out.flush();
        }
        XMLStreamReader r = xml.createXMLStreamReader(in, "UTF-8");
        try {
            read(r, in, s);
        } finally {
            try {
                r.close();
            } catch (XMLStreamException e) {
                // closing
            }
        }
    }

    private void read(XMLStreamReader r, Bounded in, Socket s) throws IOException, XMLStreamException {
        int depth = 0;
        boolean authenticated = false;
        // the stanza being read
        String name = null;
        String type = "";
        String id = "";
        String from = "";
        String to = "";
        String childName = "";
        String childNs = "";
        Map<String, String> childAttributes = Map.of();
        int children = 0;
        String errorCondition = null;
        while (running) {
            int event = r.next();
            switch (event) {
                case XMLStreamConstants.START_ELEMENT -> {
                    depth++;
                    if (depth > MAX_DEPTH) {
                        streamError("policy-violation");
                        throw new IOException("a stanza nested deeper than " + MAX_DEPTH + " elements");
                    }
                    if (depth == 1) {
                        if (!r.getLocalName().equals("stream") || !NS_STREAMS.equals(r.getNamespaceURI())) {
                            throw new IOException("the server did not open an XMPP stream");
                        }
                        String streamId = attr(r, "id");
                        if (streamId.isEmpty()) {
                            throw new IOException("the server's stream has no id");
                        }
                        send("<handshake>" + handshake(streamId, settings.secret()) + "</handshake>");
                    } else if (depth == 2) {
                        name = r.getLocalName();
                        type = attr(r, "type");
                        id = attr(r, "id");
                        from = attr(r, "from");
                        to = attr(r, "to");
                        childName = "";
                        childNs = "";
                        childAttributes = Map.of();
                        children = 0;
                        errorCondition = null;
                        if (name.equals("error") && NS_STREAMS.equals(r.getNamespaceURI())) {
                            errorCondition = "";
                        }
                    } else if (depth == 3) {
                        children++;
                        if (children == 1) {
                            childName = r.getLocalName();
                            childNs = r.getNamespaceURI() == null ? "" : r.getNamespaceURI();
                            Map<String, String> a = new LinkedHashMap<>();
                            for (int i = 0; i < r.getAttributeCount(); i++) {
                                if (r.getAttributeNamespace(i) == null || r.getAttributeNamespace(i).isEmpty()) {
                                    a.put(r.getAttributeLocalName(i), r.getAttributeValue(i));
                                }
                            }
                            childAttributes = a;
                        }
                        if (errorCondition != null && errorCondition.isEmpty()
                                && NS_STREAM_ERRORS.equals(r.getNamespaceURI()) && !r.getLocalName().equals("text")) {
                            errorCondition = r.getLocalName();
                        }
                    }
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    depth--;
                    if (depth == 0) {
                        streamEnd();
                        cause = "closed";
                        throw new IOException("the server closed the stream");
                    }
                    if (depth == 1) {
                        in.reset();
                        if (errorCondition != null) {
                            cause = "closed";
                            throw new IOException("the server closed the stream: "
                                    + (errorCondition.isEmpty() ? "stream error" : errorCondition)
                                    + (errorCondition.equals("not-authorized") ? " (check the secret and the domain)" : ""));
                        }
                        if (!authenticated) {
                            if (!name.equals("handshake")) {
                                throw new IOException("the server answered the handshake with <" + name + ">");
                            }
                            authenticated = true;
                            in.watch();
                            connections++;
                            state = "connected";
                            since = Instant.now();
                            info.accept("relay.xmpp: component " + settings.domain() + " connected to " + settings.host()
                                    + ":" + settings.port());
                            continue;
                        }
                        if (name.equals("iq") && (type.equals("result") || type.equals("error")) && id.startsWith(PING_ID)) {
                            pingsAnswered++; // a pong, or an error from a server without XEP-0199: life either way
                            continue;
                        }
                        String answer = handler.handle(new Stanza(name, type, id, from, to, childName, childNs,
                                childAttributes, children));
                        if (answer != null) {
                            send(answer);
                        }
                    }
                }
                case XMLStreamConstants.DTD, XMLStreamConstants.ENTITY_REFERENCE, XMLStreamConstants.ENTITY_DECLARATION,
                        XMLStreamConstants.PROCESSING_INSTRUCTION -> {
                    streamError("restricted-xml");
                    throw new IOException("the server sent XML that XMPP does not allow (DTD, entity or processing instruction)");
                }
                case XMLStreamConstants.END_DOCUMENT -> {
                    cause = "closed";
                    throw new IOException("the server closed the stream");
                }
                default -> {
                    // text, white space, comments: nothing a component acts on
                }
            }
        }
    }

    private void streamError(String condition) {
        send("<stream:error><" + condition + " xmlns='" + NS_STREAM_ERRORS + "'/></stream:error></stream:stream>");
    }

    private void streamEnd() {
        send("</stream:stream>");
    }

    private static String attr(XMLStreamReader r, String name) {
        String v = r.getAttributeValue(null, name);
        return v == null ? "" : v;
    }

    /** XEP-0114: the lower-case hex SHA-1 of the stream id followed by the secret. */
    static String handshake(String streamId, String secret) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return HexFormat.of().formatHex(sha1.digest((streamId + secret).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void closeSocket() {
        Socket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closed
            }
        }
    }

    private void ping() {
        pingsSent++;
        send("<iq type='get' from='" + Xml.escape(settings.domain()) + "' to='" + Xml.escape(settings.serverDomain())
                + "' id='" + PING_ID + pingsSent + "'><ping xmlns='" + JingleNodes.NS_PING + "'/></iq>");
    }

    /**
     * Counts the bytes of the stanza being read and refuses one larger than {@link #MAX_STANZA_BYTES};
     * once the link is authenticated, watches the quiet: a read that times out after
     * {@code ping.seconds} sends a ping and waits {@code ping.timeout.seconds} more, a second one
     * declares the server silent. The parser never sees a timeout, only bytes or the end.
     */
    final class Bounded extends FilterInputStream {
        private final Socket socket;
        private long count;
        private boolean watching;
        private boolean pinged;

        Bounded(InputStream in, Socket socket) {
            super(in);
            this.socket = socket;
        }

        /** From the handshake on: the quiet is watched (if {@code ping.seconds} is not 0). */
        void watch() throws SocketException {
            watching = true;
            socket.setSoTimeout(settings.pingSeconds() * 1000);
        }

        @Override
        public int read() throws IOException {
            while (true) {
                try {
                    int b = super.read();
                    heard(b < 0 ? -1 : 1);
                    return b;
                } catch (SocketTimeoutException e) {
                    quiet(e);
                }
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (true) {
                try {
                    int n = super.read(b, off, len);
                    heard(n);
                    return n;
                } catch (SocketTimeoutException e) {
                    quiet(e);
                }
            }
        }

        private void heard(int n) throws IOException {
            if (n < 0) {
                cause = "closed"; // the server closed the connection, whatever the parser makes of it
                return;
            }
            if (n == 0) {
                return;
            }
            lastHeard = Instant.now();
            add(n);
            if (pinged) {
                pinged = false;
                socket.setSoTimeout(settings.pingSeconds() * 1000);
            }
        }

        private void quiet(SocketTimeoutException e) throws IOException {
            if (!watching) {
                throw e; // the handshake's timeout
            }
            if (!pinged) {
                pinged = true;
                socket.setSoTimeout(settings.pingTimeoutSeconds() * 1000);
                ping();
                return;
            }
            cause = "silent";
            throw new IOException("the server sent nothing for " + (settings.pingSeconds() + settings.pingTimeoutSeconds())
                    + " s, not even an answer to a ping (ping.seconds = " + settings.pingSeconds()
                    + ", ping.timeout.seconds = " + settings.pingTimeoutSeconds() + "); the link is taken for dead");
        }

        private void add(int n) throws IOException {
            count += n;
            if (count > MAX_STANZA_BYTES + 16 * 1024) {
                streamError("policy-violation");
                throw new IOException("a stanza larger than " + MAX_STANZA_BYTES + " bytes");
            }
        }

        @Override
        public synchronized void reset() {
            count = 0;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
