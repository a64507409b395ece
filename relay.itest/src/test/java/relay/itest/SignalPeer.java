package relay.itest;

import static org.junit.Assert.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import relay.testing.WsClient;

/**
 * One endpoint of the signalling node, over a real WebSocket ({@link WsClient}): says hello,
 * sends frames with fresh ids and waits for their answer, and reads what the node pushes.
 */
final class SignalPeer implements AutoCloseable {

    private static final AtomicInteger IDS = new AtomicInteger();

    final WsClient ws;
    JsonObject welcome;

    private SignalPeer(WsClient ws) {
        this.ws = ws;
    }

    static SignalPeer connect(String url) throws Exception {
        return new SignalPeer(WsClient.connect(url));
    }

    /** Connects and says hello with {@code token}; fails unless the node welcomes it. */
    static SignalPeer hello(String url, String token) throws Exception {
        SignalPeer p = connect(url);
        p.ws.send("{\"type\":\"hello\",\"token\":\"" + token + "\"}");
        p.welcome = p.awaitType("welcome");
        return p;
    }

    String endpoint() {
        return welcome.get("endpoint").getAsString();
    }

    static JsonObject json(String text) {
        return JsonParser.parseString(text).getAsJsonObject();
    }

    /** Sends {@code frame} (a JSON object without id) with a fresh id; returns its answer (ack or error). */
    JsonObject request(String frame) throws Exception {
        String id = "r" + IDS.incrementAndGet();
        JsonObject f = json(frame);
        f.addProperty("id", id);
        ws.send(f.toString());
        return json(ws.await("answering " + id, t -> {
            JsonObject o = json(t);
            return o.has("id") && !o.get("id").isJsonNull() && o.get("id").getAsString().equals(id)
                    && (o.get("type").getAsString().equals("ack") || o.get("type").getAsString().equals("error"));
        }));
    }

    /** Like {@link #request}, and fails unless the answer is an ack. */
    JsonObject ok(String frame) throws Exception {
        JsonObject a = request(frame);
        assertEquals(a.toString(), "ack", a.get("type").getAsString());
        return a;
    }

    /** Like {@link #request}, and fails unless the answer is the error {@code code}. */
    JsonObject fails(String code, String frame) throws Exception {
        JsonObject a = request(frame);
        assertEquals(a.toString(), "error", a.get("type").getAsString());
        assertEquals(a.toString(), code, a.get("error").getAsString());
        return a;
    }

    /** @return the next frame of this type (within 10 s), dropping others before it */
    JsonObject awaitType(String type) throws InterruptedException {
        return json(ws.await("of type " + type, t -> type.equals(json(t).get("type").getAsString())));
    }

    @Override
    public void close() {
        ws.close();
    }
}
