package cnf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The browser client (/signal/client.js) and the demo (/signal/demo/) in real headless Chromium,
 * two browsers as two users, on the exported relay.jar: they join a pool, see each other, chat with
 * receipts, and call with {@code relay: true}; the media provably goes through the relay's channel
 * (the selected candidate pair's remote end is the channel's port on each side, the channel's
 * counters grow both ways, the frames are decoded). Also glare (both call at the same instant),
 * a renegotiation (a track added), an ICE restart onto a new channel, and a WebSocket cut in the
 * network that the session resumes with the call still up. Relay ports 26900-26999, HTTP 18660.
 * Needs Debian's chromium and chromium-driver: without them it fails, saying how to install them.
 */
class BrowserIT {

    private static final Duration MEDIA = Duration.ofSeconds(30);
    private static final Path OUT = Path.of(System.getProperty("relay.work", "target/it")).toAbsolutePath().resolve("browser-pages");

    private static RelayProcess relay;
    private static Chromium chromium;
    private static Chromium.Page one;
    private static Chromium.Page two;

    @BeforeAll
    static void start() throws Exception {
        chromium = Chromium.start(OUT);
        relay = RelayProcess.prepare("browser", 18660,
                "relay.core", "port.min", "26900", "relay.core", "port.max", "26999",
                "relay.signal", "resume.seconds", "3",
                // both browsers are 127.0.0.1: the scan guard would take them for one source latching
                // every call's ports (more than 20 in 10 s), as it would an office behind one NAT address
                "relay.core", "scan.guard.ports", "1000").start(false);
        assertTrue(RelayProcess.eventually(Duration.ofSeconds(20), () -> {
            try {
                return relay.get("/signal/pools").statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        }), "GET /signal/pools answers 200");
        one = chromium.open(1000, 640);
        two = chromium.open(1000, 640);
    }

    @AfterAll
    static void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (relay != null) {
            relay.close();
        }
    }

    private static String base() {
        return "http://127.0.0.1:" + relay.httpPort;
    }

    private static String token(String user, String name, String pool) throws IOException {
        HttpResponse<String> r = relay.post("/signal/tokens", "{\"user\":\"" + user + "\",\"pools\":[\"" + pool
                + "\"],\"ttl\":600,\"description\":{\"name\":\"" + name + "\"}}");
        assertEquals(200, r.statusCode(), r.body());
        return JsonParser.parseString(r.body()).getAsJsonObject().get("token").getAsString();
    }

    private static JsonObject channel(String id) throws IOException {
        HttpResponse<String> r = relay.get("/relay/channels/" + id);
        assertEquals(200, r.statusCode(), r.body());
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    /** Evaluates {@code expression} in {@code page} until {@code ok} holds of its value; fails with the last value. */
    private static JsonElement until(Chromium.Page page, String what, Duration limit, String expression,
            Predicate<JsonElement> ok, Object... args) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        JsonElement last;
        do {
            last = page.eval(expression, args);
            if (ok.test(last)) {
                return last;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        fail(what + " within " + limit.toSeconds() + " s; the page says " + last);
        return last;
    }

    private static JsonObject info(Chromium.Page page) throws IOException {
        JsonElement e = page.eval("h.info()");
        return e.isJsonNull() ? null : e.getAsJsonObject();
    }

    /** Frames decoded on the page's inbound video streams, summed. */
    private static long framesDecoded(JsonObject info) {
        long n = 0;
        for (JsonElement e : info.getAsJsonArray("inbound")) {
            JsonObject s = e.getAsJsonObject();
            if (s.get("kind").getAsString().equals("video")) {
                n += s.get("framesDecoded").getAsLong();
            }
        }
        return n;
    }

    private static int videosDecoding(JsonObject info) {
        int n = 0;
        for (JsonElement e : info.getAsJsonArray("inbound")) {
            JsonObject s = e.getAsJsonObject();
            if (s.get("kind").getAsString().equals("video") && s.get("framesDecoded").getAsLong() > 0) {
                n++;
            }
        }
        return n;
    }

    private static boolean connected(JsonElement e) {
        return e != null && e.isJsonObject() && e.getAsJsonObject().get("state").getAsString().equals("connected")
                && !e.getAsJsonObject().get("pair").isJsonNull() && videosDecoding(e.getAsJsonObject()) > 0;
    }

    /** The call is connected, decodes video, and its selected pair's remote end is its side's port of its relay channel. */
    private static JsonObject throughRelay(Chromium.Page page, String who) throws Exception {
        try {
            return throughRelayOnce(page, who);
        } catch (AssertionError e) {
            // what both pages and the relay saw, for whoever reads the failure
            StringBuilder b = new StringBuilder(e.getMessage());
            for (Chromium.Page p : new Chromium.Page[] {one, two}) {
                JsonObject i = info(p);
                b.append("\n").append(p == one ? "first" : "second").append(" page: ").append(i)
                        .append("\n  its events: ").append(p.eval("h.events"))
                        .append("\n  its descriptions: ").append(p.eval("h.sdp()"));
                if (i != null) {
                    for (JsonElement c : i.getAsJsonArray("channels")) {
                        HttpResponse<String> r = relay.get("/relay/channels/" + c.getAsJsonObject().get("channel").getAsString());
                        b.append("\n  channel: ").append(r.statusCode()).append(' ').append(r.body());
                    }
                }
            }
            throw new AssertionError(b.toString(), e);
        }
    }

    private static JsonObject throughRelayOnce(Chromium.Page page, String who) throws Exception {
        JsonObject i = until(page, who + "'s call connected and decoding video", MEDIA, "h.info()", BrowserIT::connected)
                .getAsJsonObject();
        String channel = i.get("channel").getAsString();
        JsonObject pair = i.getAsJsonObject("pair");
        // the pair is selected once the relay's port answered; it may be the previous channel's
        // for a moment after an ICE restart: wait for this channel's
        i = until(page, who + "'s selected pair on channel " + channel, MEDIA, "h.info()", e -> {
            JsonObject o = e.getAsJsonObject();
            return connected(o) && o.getAsJsonObject("pair").getAsJsonObject("remote").get("port").getAsInt()
                    == o.get("port").getAsInt();
        }).getAsJsonObject();
        pair = i.getAsJsonObject("pair");
        JsonObject remote = pair.getAsJsonObject("remote");
        assertEquals("127.0.0.1", remote.get("address").getAsString(), who + ": " + i);
        for (JsonElement c : i.getAsJsonArray("remoteCandidates")) {
            int port = c.getAsJsonObject().get("port").getAsInt();
            boolean relayPort = false;
            for (JsonElement k : i.getAsJsonArray("channels")) {
                relayPort |= k.getAsJsonObject().get("port").getAsInt() == port;
            }
            assertTrue(relayPort, who + " knows a remote candidate that is no relay port: " + c + " in " + i);
        }
        return i;
    }

    /** Both pages' calls go through one channel, A's port at one side and B's at the other, and its counters grow both ways. */
    private static JsonObject mediaThroughChannel(JsonObject x, JsonObject y, String what) throws Exception {
        String id = x.get("channel").getAsString();
        assertEquals(id, y.get("channel").getAsString(), what + ": both calls on one channel");
        JsonObject c1 = channel(id);
        int px = x.get("port").getAsInt();
        int py = y.get("port").getAsInt();
        assertEquals(java.util.Set.of(c1.get("portA").getAsInt(), c1.get("portB").getAsInt()), java.util.Set.of(px, py),
                what + ": the pages' remote ports are the channel's two ports: " + c1);
        assertEquals(px, x.getAsJsonObject("pair").getAsJsonObject("remote").get("port").getAsInt());
        assertEquals(py, y.getAsJsonObject("pair").getAsJsonObject("remote").get("port").getAsInt());
        Thread.sleep(2000);
        JsonObject c2 = channel(id);
        for (String dir : new String[] {"aToB", "bToA"}) {
            long p1 = c1.getAsJsonObject(dir).get("packets").getAsLong();
            long p2 = c2.getAsJsonObject(dir).get("packets").getAsLong();
            assertTrue(p2 > p1 && p1 > 0, what + ": channel " + id + " " + dir + " packets grow: " + p1 + " then " + p2);
        }
        System.out.printf("%s: channel %s ports %d/%d; aToB %s packets %s bytes, bToA %s packets %s bytes (2 s later:"
                + " aToB %s, bToA %s packets)%n", what, id, c2.get("portA").getAsInt(), c2.get("portB").getAsInt(),
                c1.getAsJsonObject("aToB").get("packets"), c1.getAsJsonObject("aToB").get("bytes"),
                c1.getAsJsonObject("bToA").get("packets"), c1.getAsJsonObject("bToA").get("bytes"),
                c2.getAsJsonObject("aToB").get("packets"), c2.getAsJsonObject("bToA").get("packets"));
        return c2;
    }

    private static void framesGrow(Chromium.Page page, JsonObject before, String who) throws Exception {
        long f0 = framesDecoded(before);
        until(page, who + " decodes more frames than " + f0, MEDIA, "h.info()",
                e -> e.isJsonObject() && framesDecoded(e.getAsJsonObject()) > f0);
    }

    private static void load(Chromium.Page page) throws IOException {
        page.go(base() + "/signal/demo/");
        page.harness();
    }

    @Test
    void theDemoRoomChatsAndCallsThroughTheRelayThenRenegotiatesAndRestartsIce() throws Exception {
        load(one);
        load(two);
        String join = "(document.getElementById('token').value = arguments[0], document.getElementById('pool').value = 'demo',"
                + " document.getElementById('join').requestSubmit(), true)";
        one.eval(join, token("alice@example.com", "Alice", "demo"));
        two.eval(join, token("bob@example.com", "Bob", "demo"));
        String peers = "[...document.querySelectorAll('#peers li .name')].map(e => e.firstChild.textContent)";
        until(one, "Alice sees Bob in the room", Duration.ofSeconds(10), peers, e -> e.toString().equals("[\"Bob\"]"));
        until(two, "Bob sees Alice in the room", Duration.ofSeconds(10), peers, e -> e.toString().equals("[\"Alice\"]"));

        // chat: Bob's page shows it, Alice's shows the receipt
        one.eval("(document.getElementById('text').value = 'hello from Alice', document.getElementById('say').requestSubmit(), true)");
        until(two, "Bob's chat shows Alice's line", Duration.ofSeconds(10), "document.getElementById('chat').textContent",
                e -> e.getAsString().contains("Alicehello from Alice"));
        until(one, "Alice's line is marked delivered to one", Duration.ofSeconds(10),
                "(document.querySelector('#chat .ok') || {}).textContent || ''", e -> e.getAsString().equals("✓ 1"));

        // a call, as a user makes it: the Call button; Bob's page answers by itself
        one.eval("(document.querySelector('#peers li button.call').click(), true)");
        JsonObject a = throughRelay(one, "Alice");
        JsonObject b = throughRelay(two, "Bob");
        // the called page answers with its camera and makes no offer of its own: nothing to collide
        assertEquals(0, a.get("collisions").getAsInt() + b.get("collisions").getAsInt(), "no glare in a plain call: " + a + " / " + b);
        mediaThroughChannel(a, b, "demo call");
        framesGrow(one, a, "Alice");
        framesGrow(two, b, "Bob");
        until(one, "Alice's page plays Bob's video", MEDIA,
                "[...document.querySelectorAll('#videos video')].filter(v => v.videoWidth > 0 && !v.paused).length",
                e -> e.getAsInt() == 2);
        until(two, "Bob's page plays Alice's video", MEDIA,
                "[...document.querySelectorAll('#videos video')].filter(v => v.videoWidth > 0 && !v.paused).length",
                e -> e.getAsInt() == 2);
        Thread.sleep(500);
        Files.createDirectories(OUT);
        Files.write(OUT.resolve("demo-two-peers.png"), one.screenshot());

        // renegotiation: Alice adds a second video track to the live call; Bob decodes it too
        one.eval("h.addCanvasTrack()");
        until(two, "Bob decodes Alice's second video track", MEDIA, "h.info()",
                e -> videosDecoding(e.getAsJsonObject()) == 2);
        b = throughRelay(two, "Bob");
        assertEquals(a.get("channel").getAsString(), b.get("channel").getAsString(), "the same channel after the renegotiation");

        // ICE restart: a new relay channel, which the media then takes
        String next = one.eval("h.restartIce()").getAsString();
        assertNotEquals(a.get("channel").getAsString(), next);
        until(two, "Bob's call moves to channel " + next, MEDIA, "h.info()",
                e -> e.getAsJsonObject().get("channel").getAsString().equals(next));
        JsonObject a2 = throughRelay(one, "Alice");
        JsonObject b2 = throughRelay(two, "Bob");
        assertEquals(next, a2.get("channel").getAsString());
        mediaThroughChannel(a2, b2, "after the ICE restart");
        framesGrow(two, b2, "Bob");

        // hang up: both pages drop the call
        one.eval("(document.querySelector('#peers li button.hangup').click(), true)");
        until(two, "Bob's page ends the call", Duration.ofSeconds(10), "window.demo.calls.size", e -> e.getAsInt() == 0);
        until(one, "Alice's page ends the call", Duration.ofSeconds(10), "window.demo.calls.size", e -> e.getAsInt() == 0);
        // the hang-up gave the channels back at once (relay-end), while both still share the pool
        for (String channel : List.of(a.get("channel").getAsString(), next)) {
            assertTrue(RelayProcess.eventually(Duration.ofSeconds(5), () -> status("/relay/channels/" + channel) == 404),
                    "channel " + channel + " outlived the hang-up");
        }
        one.eval("(document.getElementById('leave-button').click(), true)");
        two.eval("(document.getElementById('leave-button').click(), true)");
    }

    private static int status(String path) {
        try {
            return relay.get(path).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void bothCallEachOtherAtTheSameInstantAndConnect() throws Exception {
        // the two pages start their calls at one instant of the machine's clock; the offers then cross
        // (perfect negotiation counts it); should the timing keep them apart, the attempt is made again
        JsonObject x = null;
        JsonObject y = null;
        int collisions = 0;
        for (int attempt = 1; attempt <= 3 && collisions == 0; attempt++) {
            if (attempt > 1) {
                one.eval("(h.session.disconnect(), true)");
                two.eval("(h.session.disconnect(), true)");
            }
            load(one);
            load(two);
            String ws = "ws://127.0.0.1:" + relay.httpPort + "/signal";
            String pool = "glare" + attempt;
            String c = one.eval("h.start(arguments[0], arguments[1])", ws, token("carol@example.com", "Carol", pool)).getAsString();
            String d = two.eval("h.start(arguments[0], arguments[1])", ws, token("dave@example.com", "Dave", pool)).getAsString();
            one.eval("h.join(arguments[0])", pool);
            two.eval("h.join(arguments[0])", pool);
            until(one, "Carol sees Dave", Duration.ofSeconds(10), "h.peers()", e -> e.toString().contains(d));
            until(two, "Dave sees Carol", Duration.ofSeconds(10), "h.peers()", e -> e.toString().contains(c));
            one.eval("h.media()");
            two.eval("h.media()");
            long at = System.currentTimeMillis() + 1500;
            String callAt = "(h.callAt(arguments[0], arguments[1]).catch(e => h.events.push({type: 'call-failed', message: String(e)})), true)";
            one.eval(callAt, d, at);
            two.eval(callAt, c, at);
            x = throughRelay(one, "Carol");
            y = throughRelay(two, "Dave");
            assertNotEquals(x.get("polite").getAsBoolean(), y.get("polite").getAsBoolean(), "one polite, one not");
            mediaThroughChannel(x, y, "glare");
            JsonArray events = one.eval("h.events").getAsJsonArray();
            assertFalse(events.toString().contains("call-failed") || events.toString().contains("call-error"), events.toString());
            collisions = x.get("collisions").getAsInt() + y.get("collisions").getAsInt();
            System.out.printf("glare, attempt %d: %d collision(s), %d channel(s) allocated (each side allocates"
                    + " unless the other's came first)%n", attempt, collisions, x.getAsJsonArray("channels").size());
        }
        assertTrue(collisions >= 1, "the offers collided (glare) in one of 3 attempts: " + x + " / " + y);

        // switching camera: Carol's call sends a 160x120 canvas instead, and Dave decodes it at that size
        JsonObject switched = one.eval("h.switchCamera()").getAsJsonObject();
        assertEquals("stable", switched.get("after").getAsString(), "no renegotiation: " + switched);
        until(two, "Dave decodes Carol's new 160-pixel video", MEDIA, "h.info()", v -> {
            for (JsonElement s : v.getAsJsonObject().getAsJsonArray("inbound")) {
                if (s.getAsJsonObject().get("kind").getAsString().equals("video")
                        && s.getAsJsonObject().get("frameWidth").getAsInt() == 160) {
                    return true;
                }
            }
            return false;
        });
        JsonObject y2 = throughRelay(two, "Dave");
        assertEquals(y.get("channel").getAsString(), y2.get("channel").getAsString());
        one.eval("(h.session.disconnect(), true)");
        two.eval("(h.session.disconnect(), true)");
    }

    @Test
    void aCutWebSocketResumesAndTheCallStaysUp() throws Exception {
        try (TcpProxy proxy = new TcpProxy(relay.httpPort)) {
            load(one);
            load(two);
            String e = one.eval("h.start(arguments[0], arguments[1])", "ws://127.0.0.1:" + proxy.port() + "/signal",
                    token("erin@example.com", "Erin", "resume")).getAsString();
            String f = two.eval("h.start(arguments[0], arguments[1])", "ws://127.0.0.1:" + relay.httpPort + "/signal",
                    token("frank@example.com", "Frank", "resume")).getAsString();
            one.eval("h.join('resume')");
            two.eval("h.join('resume')");
            until(one, "Erin sees Frank", Duration.ofSeconds(10), "h.peers()", v -> v.toString().contains(f));
            one.eval("h.callAt(arguments[0], 0)", f);
            JsonObject x = throughRelay(one, "Erin");
            JsonObject y = throughRelay(two, "Frank");
            mediaThroughChannel(x, y, "before the cut");

            proxy.cut();
            until(one, "Erin's session resumes", Duration.ofSeconds(15),
                    "h.events.filter(v => v.type === 'reconnect').map(v => v.detail)", v -> v.getAsJsonArray().size() > 0);
            JsonObject r = one.eval("h.events.filter(v => v.type === 'reconnect')[0].detail").getAsJsonObject();
            assertTrue(r.get("resumed").getAsBoolean(), "resumed: " + r);
            assertEquals(e, r.get("endpoint").getAsString(), "the same endpoint");
            assertTrue(one.eval("h.events.some(v => v.type === 'disconnect')").getAsBoolean(), "Erin's page saw the drop");
            assertTrue(proxy.accepted() >= 2, "the page connected again through the network");

            // signalling works after the resume: a message with its receipt, and a renegotiation
            JsonObject sent = two.eval("h.send('still there?')").getAsJsonObject();
            assertEquals("[\"" + e + "\"]", sent.getAsJsonArray("delivered").toString());
            one.eval("h.addCanvasTrack()");
            until(two, "Frank decodes Erin's new track after the resume", MEDIA, "h.info()",
                    v -> videosDecoding(v.getAsJsonObject()) == 2);

            JsonObject x2 = throughRelay(one, "Erin");
            JsonObject y2 = throughRelay(two, "Frank");
            assertEquals(x.get("channel").getAsString(), x2.get("channel").getAsString(), "the same channel");
            mediaThroughChannel(x2, y2, "after the resume");
            framesGrow(one, x2, "Erin");
            JsonArray states = x2.getAsJsonArray("states");
            assertFalse(states.toString().contains("failed") || states.toString().contains("disconnected")
                    || states.toString().contains("closed"), "the call never dropped: " + states);
            String frank = two.eval("h.events").toString();
            assertFalse(frank.contains("peer-left"), "Frank never saw Erin leave: " + frank);
            one.eval("(h.session.disconnect(), true)");
            two.eval("(h.session.disconnect(), true)");
        }
    }

    @Test
    void withoutTheRelayTheCandidatesTrickleAndTheMediaGoesDirect() throws Exception {
        load(one);
        load(two);
        String ws = "ws://127.0.0.1:" + relay.httpPort + "/signal";
        one.eval("h.start(arguments[0], arguments[1])", ws, token("grace@example.com", "Grace", "direct"));
        String h = two.eval("h.start(arguments[0], arguments[1])", ws, token("heidi@example.com", "Heidi", "direct")).getAsString();
        one.eval("h.join('direct')");
        two.eval("h.join('direct')");
        until(one, "Grace sees Heidi", Duration.ofSeconds(10), "h.peers()", v -> v.toString().contains(h));
        one.eval("h.callAt(arguments[0], 0, false)", h);
        for (Chromium.Page page : new Chromium.Page[] {one, two}) {
            JsonObject i = until(page, "the direct call connected and decoding video", MEDIA, "h.info()", BrowserIT::connected)
                    .getAsJsonObject();
            assertTrue(i.get("channel").isJsonNull(), "no relay channel: " + i);
            assertTrue(i.getAsJsonArray("remoteCandidates").size() > 0, "candidates came through the node: " + i);
            int port = i.getAsJsonObject("pair").getAsJsonObject("remote").get("port").getAsInt();
            assertFalse(port >= 26900 && port <= 26999, "the media goes direct, not to a relay port: " + i);
        }
        HttpResponse<String> channels = relay.get("/relay/channels?user=grace@example.com");
        assertEquals(200, channels.statusCode(), channels.body());
        assertFalse(channels.body().contains("\"id\""), "no channel allocated: " + channels.body());
        one.eval("(h.session.disconnect(), true)");
        two.eval("(h.session.disconnect(), true)");
    }

    @Test
    void pastTheResumeWindowTheSessionComesBackAsANewEndpointAndJoinsAgain() throws Exception {
        try (TcpProxy proxy = new TcpProxy(relay.httpPort)) {
            load(one);
            load(two);
            String i = one.eval("h.start(arguments[0], arguments[1])", "ws://127.0.0.1:" + proxy.port() + "/signal",
                    token("ivan@example.com", "Ivan", "again")).getAsString();
            String j = two.eval("h.start(arguments[0], arguments[1])", "ws://127.0.0.1:" + relay.httpPort + "/signal",
                    token("judy@example.com", "Judy", "again")).getAsString();
            one.eval("h.join('again')");
            two.eval("h.join('again')");
            until(one, "Ivan sees Judy", Duration.ofSeconds(10), "h.peers()", v -> v.toString().contains(j));
            one.eval("h.callAt(arguments[0], 0)", j);
            throughRelay(one, "Ivan");
            throughRelay(two, "Judy");

            // the network stays down longer than the node's resume window (3 s here)
            proxy.refuse(true);
            proxy.cut();
            until(two, "Judy sees Ivan's session end", Duration.ofSeconds(15),
                    "h.events.filter(v => v.type === 'peer-left').map(v => v.endpoint)", v -> v.toString().contains(i));
            until(two, "Judy's call ends with it", Duration.ofSeconds(10),
                    "h.events.filter(v => v.type === 'call-ended').map(v => v.why)", v -> v.getAsJsonArray().size() == 1);
            assertTrue(one.eval("h.events.some(v => v.type === 'reconnect_attempt')").getAsBoolean(), "Ivan's page kept trying");
            proxy.refuse(false);

            JsonObject r = until(one, "Ivan's page comes back", Duration.ofSeconds(15),
                    "(h.events.find(v => v.type === 'reconnect') || {}).detail || null", v -> !v.isJsonNull()).getAsJsonObject();
            assertFalse(r.get("resumed").getAsBoolean(), "a new session: " + r);
            String i2 = r.get("endpoint").getAsString();
            assertNotEquals(i, i2, "a new endpoint");
            until(two, "Judy sees Ivan's new endpoint join", Duration.ofSeconds(10),
                    "h.events.filter(v => v.type === 'peer-joined').map(v => v.endpoint)", v -> v.toString().contains(i2));
            until(one, "Ivan's page is in the pool again with Judy", Duration.ofSeconds(10), "h.peers()",
                    v -> v.toString().equals("[\"" + j + "\"]"));
            assertTrue(one.eval("h.events.some(v => v.type === 'call-ended' && v.why === 'session-ended')").getAsBoolean(),
                    "Ivan's old call ended with the old session: " + one.eval("h.events"));
            JsonObject sent = two.eval("h.send('welcome back')").getAsJsonObject();
            assertEquals("[\"" + i2 + "\"]", sent.getAsJsonArray("delivered").toString());
            one.eval("(h.session.disconnect(), true)");
            two.eval("(h.session.disconnect(), true)");
        }
    }
}
