package relay.xmpp;

import java.io.BufferedWriter;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
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
 * handler; when the server goes, it tries again every {@code reconnect.seconds}. Writes from any
 * thread are serialised. The stream is parsed incrementally with the JDK's StAX, hardened: no
 * DTD, no external entity, a bounded stanza size and depth. {@link #stop()} closes the socket and
 * ends the thread.
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

    private final XmppSettings settings;
    private final JingleNodes handler;
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

    ComponentLink(XmppSettings settings, JingleNodes handler, Consumer<String> info, Consumer<String> warn) {
        this.settings = settings;
        this.handler = handler;
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
            try {
                session();
            } catch (IOException | XMLStreamException | RuntimeException e) {
                if (!running) {
                    break;
                }
                failures++;
                lastError = message(e);
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
        Bounded in = new Bounded(s.getInputStream());
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
                        throw new IOException("the server closed the stream");
                    }
                    if (depth == 1) {
                        in.reset();
                        if (errorCondition != null) {
                            throw new IOException("the server closed the stream: "
                                    + (errorCondition.isEmpty() ? "stream error" : errorCondition)
                                    + (errorCondition.equals("not-authorized") ? " (check the secret and the domain)" : ""));
                        }
                        if (!authenticated) {
                            if (!name.equals("handshake")) {
                                throw new IOException("the server answered the handshake with <" + name + ">");
                            }
                            authenticated = true;
                            s.setSoTimeout(0);
                            connections++;
                            state = "connected";
                            since = Instant.now();
                            info.accept("relay.xmpp: component " + settings.domain() + " connected to " + settings.host()
                                    + ":" + settings.port());
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
                case XMLStreamConstants.END_DOCUMENT -> throw new IOException("the server closed the stream");
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

    /** Counts the bytes of the stanza being read and refuses one larger than {@link #MAX_STANZA_BYTES}. */
    final class Bounded extends FilterInputStream {
        private long count;

        Bounded(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                add(n);
            }
            return n;
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
