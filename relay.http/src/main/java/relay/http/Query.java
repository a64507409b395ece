package relay.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A query string read strictly, as the API reads it rather than the servlet container (which
 * answers a malformed one with a page of its own): {@code name=value} pairs joined by
 * {@code &}, percent-encoded UTF-8, {@code +} for a space. A malformed escape, bytes that are
 * not UTF-8 or a name given twice is a {@link BadRequest} {@code invalid_query}.
 */
final class Query {

    private Query() {
    }

    /**
     * @param raw the query string as sent, or null
     * @return its parameters, decoded; a name without {@code =} has the value ""
     * @throws BadRequest if it is malformed
     */
    static Map<String, String> parse(String raw) {
        Map<String, String> params = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (params.putIfAbsent(name, value) != null) {
                throw new BadRequest("invalid_query", "the query gives '" + shown(name) + "' more than once");
            }
        }
        return params;
    }

    private static String decode(String s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 1 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw new BadRequest("invalid_query", "the query has a '%' that is not followed by two hex digits");
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else {
                int cp = s.codePointAt(i);
                if (Character.isSurrogate((char) cp) && Character.charCount(cp) == 1) {
                    throw new BadRequest("invalid_query", "the query is not text: a lone surrogate");
                }
                byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
                i += Character.charCount(cp) - 1;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new BadRequest("invalid_query", "the query's percent escapes are not UTF-8");
        }
    }

    private static String shown(String name) {
        String one = name.replaceAll("\\p{Cntrl}", "?");
        return one.length() > 40 ? one.substring(0, 37) + "..." : one;
    }
}
