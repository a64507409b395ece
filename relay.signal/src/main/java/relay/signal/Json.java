package relay.signal;

import java.io.IOException;
import java.io.StringReader;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

/** Strict JSON reading (one object, nothing after it, nesting at most 32 deep) and small helpers. */
final class Json {

    static final int MAX_DEPTH = 32;

    /** Not one strict JSON object. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private Json() {
    }

    static JsonObject parseObject(String text) throws Malformed {
        JsonElement e;
        try (JsonReader r = new JsonReader(new StringReader(text))) {
            r.setStrictness(Strictness.STRICT);
            r.setNestingLimit(MAX_DEPTH);
            e = JsonParser.parseReader(r);
            if (r.peek() != JsonToken.END_DOCUMENT) {
                throw new Malformed("text after the JSON object");
            }
        } catch (JsonParseException | IOException | IllegalStateException | StackOverflowError x) {
            throw new Malformed("not JSON");
        }
        if (!e.isJsonObject()) {
            throw new Malformed("not a JSON object");
        }
        return e.getAsJsonObject();
    }

    /** @return the member as a string, or null if absent, null or not a string */
    static String string(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : null;
    }

    static JsonObject object(String type) {
        JsonObject o = new JsonObject();
        o.addProperty("type", type);
        return o;
    }
}
