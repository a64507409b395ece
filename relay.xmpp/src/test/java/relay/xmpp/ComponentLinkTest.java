package relay.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import relay.testing.ComponentConfig;
import relay.testing.Poll;

/**
 * The link against a server played by the test over a real TCP socket: the handshake, stanzas
 * in and out, the hardening (DTD, entities, size, depth), reconnection and stop, and the pings
 * (XEP-0199) that tell a server that went silent from one that is only quiet.
 */
class ComponentLinkTest {

    static final String SECRET = "sesame-42";

    ServerSocket server;
    ComponentLink link;
    final List<String> warnings = new CopyOnWriteArrayList<>();
    final List<String> infos = new CopyOnWriteArrayList<>();
    final LinkLosses losses = new LinkLosses();

    @BeforeEach
    void listen() throws IOException {
        server = new ServerSocket(0);
        server.setSoTimeout(15_000);
    }

    @AfterEach
    void close() throws IOException {
        if (link != null) {
            link.stop();
        }
        server.close();
        for (String line : warnings) {
            assertFalse(line.contains(SECRET), line);
        }
    }

    void startLink() {
        startLink(Map.of());
    }

    void startLink(Map<String, Object> more) {
        Map<String, Object> p = new HashMap<>(Map.of("host", "127.0.0.1", "port", String.valueOf(server.getLocalPort()),
                "domain", "relay.example.com", "secret", SECRET, "reconnect.seconds", "1"));
        p.putAll(more);
        XmppSettings s = XmppSettings.from(ComponentConfig.of(XmppConfig.class, p));
        link = new ComponentLink(s, new JingleNodes("relay.example.com", () -> null, warnings::add), losses, infos::add,
                warnings::add);
        link.start();
    }

    /** A ping every second of quiet, the link dead after two more seconds of silence. */
    static final Map<String, Object> PING_FAST = Map.of("ping.seconds", "1", "ping.timeout.seconds", "2");

    static final Pattern PING = Pattern.compile("<iq type='get' from='relay\\.example\\.com' to='example\\.com' id='([^']+)'>"
            + "<ping xmlns='urn:xmpp:ping'/></iq>");

    /** Reads until the link's next ping; returns its id. */
    static String awaitPing(Peer p) throws IOException {
        p.await("<ping xmlns='urn:xmpp:ping'/></iq>");
        Matcher m = PING.matcher(p.last);
        assertTrue(m.find(), "a ping to the server's domain: " + p.last);
        return m.group(1);
    }

    /** One accepted connection, as the server sees it. */
    static final class Peer implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final StringBuilder seen = new StringBuilder();
        /** What the last {@link #await} consumed, the awaited text included. */
        String last = "";

        Peer(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(200);
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        void send(String xml) throws IOException {
            out.write(xml.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** Reads until the text arrives (or fails after 10 s); returns what came after it. */
        String await(String text) throws IOException {
            long deadline = System.nanoTime() + 10_000_000_000L;
            byte[] b = new byte[8192];
            while (seen.indexOf(text) < 0) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("never received " + text + "; got " + seen);
                }
                try {
                    int n = in.read(b);
                    if (n < 0) {
                        throw new AssertionError("closed before " + text + "; got " + seen);
                    }
                    seen.append(new String(b, 0, n, StandardCharsets.UTF_8));
                } catch (SocketTimeoutException e) {
                    // again
                }
            }
            String rest = seen.substring(seen.indexOf(text) + text.length());
            last = seen.substring(0, seen.indexOf(text) + text.length());
            seen.setLength(0);
            seen.append(rest);
            return rest;
        }

        /** @return true if the other side closed the connection within 10 s */
        boolean closedByLink() throws IOException {
            long deadline = System.nanoTime() + 10_000_000_000L;
            byte[] b = new byte[8192];
            while (System.nanoTime() < deadline) {
                try {
                    int n = in.read(b);
                    if (n < 0) {
                        return true;
                    }
                    seen.append(new String(b, 0, n, StandardCharsets.UTF_8));
                } catch (SocketTimeoutException e) {
                    // again
                } catch (IOException e) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Accepts the link, opens the stream with the given id and answers a right handshake. */
    Peer accept(String streamId) throws IOException {
        Peer p = new Peer(server.accept());
        p.await("to='relay.example.com'>");
        assertTrue(p.seen.length() == 0 || p.seen.toString().startsWith("<handshake>"));
        p.send("<?xml version='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams' "
                + "xmlns='jabber:component:accept' id='" + streamId + "' from='relay.example.com'>");
        String expected = ComponentLink.handshake(streamId, SECRET);
        p.await("<handshake>" + expected + "</handshake>");
        p.send("<handshake/>");
        Poll.until("connected", () -> link.state().equals("connected"));
        return p;
    }

    @Test
    void theHandshakeIsTheHexSha1OfStreamIdAndSecret() throws IOException {
        // computed apart from the code under test
        assertEquals("1bd204a878a8dbab1b37051dbac0ff153efe1966", ComponentLink.handshake("4a9c2e61-stream", SECRET));
        startLink();
        try (Peer p = accept("4a9c2e61-stream")) {
            assertEquals("1", link.status().get("connections"));
            assertTrue(infos.stream().anyMatch(l -> l.contains("connected to 127.0.0.1:" + server.getLocalPort())), infos.toString());
        }
    }

    @Test
    void answersStanzasAsTheyComeInOneStream() throws IOException {
        startLink();
        try (Peer p = accept("s1")) {
            p.send("<iq type='get' id='d1' from='alice@example.com/a' to='relay.example.com'>"
                    + "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
            p.await("<iq type='result' id='d1' from='relay.example.com' to='alice@example.com/a'>");
            p.await("<feature var='http://jabber.org/protocol/jinglenodes'/>");
            // split across writes, with a message and white space between
            p.send("<message from='a@example.com/x' to='relay.example.com'><body>hi</body></message>  <iq type='get' id='d2'");
            p.send(" from='alice@example.com/a' to='relay.example.com'><services xmlns='http://jabber.org/protocol/jinglenodes'/></iq>");
            p.await("<iq type='result' id='d2'");
            p.await("<relay policy='public' address='relay.example.com' protocol='udp'/>");
            // no relay bound: a channel request waits
            p.send("<iq type='get' id='c1' from='alice@example.com/a' to='relay.example.com'>"
                    + "<channel xmlns='http://jabber.org/protocol/jinglenodes#channel' protocol='udp'/></iq>");
            p.await("<iq type='error' id='c1'");
            p.await("<service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>");
        }
    }

    @Test
    void aDoctypeOrAnEntityClosesTheStreamAndTheLinkComesBack() throws IOException {
        startLink();
        try (Peer p = accept("s1")) {
            p.send("<!DOCTYPE lol [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;'>]>"
                    + "<iq type='get' id='x' from='a@example.com/x'><query xmlns='urn:x'>&b;</query></iq>");
            assertTrue(p.closedByLink(), "the link closed the stream");
            assertFalse(p.seen.toString().contains("aaaaaaaaaa"), p.seen.toString());
        }
        try (Peer p = accept("s2")) {
            assertEquals("2", link.status().get("connections"));
            p.send("<iq type='get' id='y' from='a@example.com/x'><query xmlns='urn:x'>&unknown;</query></iq>");
            assertTrue(p.closedByLink(), "an undeclared entity closes the stream");
            assertFalse(p.seen.toString().contains("type='error' id='y'"), p.seen.toString());
        }
        try (Peer p = accept("s3")) {
            assertEquals("3", link.status().get("connections"));
        }
    }

    @Test
    void anOversizedOrTooDeepStanzaClosesTheStream() throws IOException {
        startLink();
        try (Peer p = accept("s1")) {
            p.send("<message from='a@example.com/x'><body>");
            String chunk = "x".repeat(8192);
            try {
                for (int i = 0; i < 20; i++) {
                    p.send(chunk);
                }
            } catch (IOException e) {
                // the link closed while we wrote
            }
            assertTrue(p.closedByLink());
            assertTrue(p.seen.toString().contains("<policy-violation"), p.seen.toString());
        }
        try (Peer p = accept("s2")) {
            p.send("<message from='a@example.com/x'>" + "<a>".repeat(40));
            assertTrue(p.closedByLink());
            assertTrue(p.seen.toString().contains("<policy-violation"), p.seen.toString());
        }
        assertTrue(warnings.stream().anyMatch(w -> w.contains("larger than 65536 bytes")), warnings.toString());
    }

    @Test
    void aWrongSecretIsReportedAndRetried() throws IOException {
        startLink();
        try (Peer p = new Peer(server.accept())) {
            p.await("to='relay.example.com'>");
            p.send("<stream:stream xmlns:stream='http://etherx.jabber.org/streams' xmlns='jabber:component:accept' id='z'>");
            p.await("</handshake>");
            p.send("<stream:error><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>");
            assertTrue(p.closedByLink());
        }
        Poll.until("reported", () -> link.status().get("last error").contains("not-authorized"));
        assertTrue(warnings.get(0).contains("not-authorized (check the secret and the domain)"), warnings.toString());
        try (Peer p = accept("again")) {
            assertEquals("1", link.status().get("connections"));
            assertEquals("1", link.status().get("failures"));
        }
    }

    @Test
    void aServerThatGoesIsReachedAgainAndStopEndsEverything() throws IOException {
        startLink();
        try (Peer p = accept("s1")) {
            p.send("</stream:stream>");
            assertTrue(p.closedByLink());
        }
        Peer p = accept("s2");
        link.stop();
        assertTrue(p.closedByLink(), "stop closes the socket");
        assertTrue(p.seen.toString().endsWith("</stream:stream>"), p.seen.toString());
        assertFalse(link.alive(), "the link's thread ended");
        assertEquals("stopped", link.state());
        p.close();
        link = null;
    }

    @Test
    void aServerThatGoesSilentIsPingedThenDroppedAndReachedAgain() throws IOException {
        startLink(PING_FAST);
        long started = System.nanoTime();
        try (Peer p = accept("s1")) {
            // the server hears the handshake, then never speaks again, nor closes the connection
            awaitPing(p);
            assertTrue(p.closedByLink(), "the link gave up on a silent server");
        }
        try (Peer p = accept("s2")) {
            // well within a generous bound: a ping after 1 s, the link dead 2 s later, 1 s to reconnect
            assertTrue(System.nanoTime() - started < 20_000_000_000L, "reconnected in time");
            assertEquals("2", link.status().get("connections"));
            assertEquals(Map.of("closed", 0L, "silent", 1L, "error", 0L), losses.counts());
            List<String> silent = warnings.stream().filter(w -> w.contains("sent nothing")).toList();
            assertEquals(1, silent.size(), warnings.toString());
            assertTrue(silent.get(0).contains("not even an answer to a ping"), silent.get(0));
            // this time the server answers: the link stays
            p.send("<iq type='result' id='" + awaitPing(p) + "' from='example.com' to='relay.example.com'/>");
            awaitPing(p);
            assertEquals("2", link.status().get("connections"));
        }
    }

    @Test
    void aServerThatAnswersPingsKeepsTheLinkAcrossSeveralPeriods() throws IOException {
        startLink(PING_FAST);
        try (Peer p = accept("s1")) {
            for (int i = 0; i < 4; i++) {
                String id = awaitPing(p);
                // a pong, or an error reply (a server without XEP-0199): either is life
                p.send(i == 2
                        ? "<iq type='error' id='" + id + "' from='example.com' to='relay.example.com'><error type='cancel'>"
                                + "<service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>"
                        : "<iq type='result' id='" + id + "' from='example.com' to='relay.example.com'/>");
            }
            Poll.until("the answers counted", () -> link.status().get("pings").endsWith("4 answered"));
            assertEquals("1", link.status().get("connections"));
            assertEquals("connected", link.state());
            assertEquals("0", link.status().get("failures"));
            assertEquals(Map.of("closed", 0L, "silent", 0L, "error", 0L), losses.counts());
            assertEquals("after 1 s of quiet, dead 2 s later", link.status().get("ping"));
            assertFalse(link.status().get("last heard").equals("-"));
            // the answers to our pings are no requests: never answered, never warned about
            assertFalse(p.seen.toString().contains("<iq type='error'"), p.seen.toString());
            assertTrue(warnings.isEmpty(), warnings.toString());
        }
    }

    @Test
    void anyStanzaIsLifeEvenWithThePingsUnanswered() throws IOException, InterruptedException {
        startLink(PING_FAST);
        try (Peer p = accept("s1")) {
            long end = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < end) {
                p.send("<message from='a@example.com/x' to='relay.example.com'><body>still here</body></message>");
                Thread.sleep(250);
            }
            assertEquals("1", link.status().get("connections"));
            assertEquals("connected", link.state());
        }
    }

    @Test
    void aPingToTheComponentIsAnswered() throws IOException {
        startLink(Map.of("ping.seconds", "0"));
        try (Peer p = accept("s1")) {
            assertEquals("off", link.status().get("ping"));
            p.send("<iq type='get' id='sp1' from='example.com' to='relay.example.com'><ping xmlns='urn:xmpp:ping'/></iq>");
            p.await("<iq type='result' id='sp1' from='relay.example.com' to='example.com'>");
            p.send("<iq type='get' id='d1' from='alice@example.com/a' to='relay.example.com'>"
                    + "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
            p.await("<iq type='result' id='d1'");
            p.await("<feature var='urn:xmpp:ping'/>");
        }
    }

    @Test
    void aLinkLostByAClosedStreamIsCountedAsClosed() throws IOException {
        startLink();
        try (Peer p = accept("s1")) {
            p.send("</stream:stream>");
            assertTrue(p.closedByLink());
        }
        try (Peer p = accept("s2")) {
            p.close(); // a TCP close, without the stream's end
        }
        try (Peer p = accept("s3")) {
            assertEquals(Map.of("closed", 2L, "silent", 0L, "error", 0L), losses.counts());
        }
    }
}
