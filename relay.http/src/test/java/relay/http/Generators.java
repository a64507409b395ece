package relay.http;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Random input for the API's properties: text of every kind, JIDs, peers, JSON documents as text. */
final class Generators {

    private Generators() {
    }

    /** Any text: ASCII, controls, the characters JSON, JIDs, URLs and addresses care about, any code unit. */
    static Arbitrary<String> anyText() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ascii().ofMaxLength(40),
                Arbitraries.strings().withChars("@/.:[]%+&=\"\\ {}\t\n\u0000\u00e9\u00ff\ud83d\ude00\ufeff0123456789abcdefAF").ofMaxLength(30),
                Arbitraries.strings().all().ofMaxLength(20),
                Arbitraries.strings().withCharRange('\ud800', '\udfff').ofMaxLength(3));
    }

    /** JIDs as a client could send them: well-formed ones, near misses and anything. */
    static Arbitrary<String> jids() {
        Arbitrary<String> label = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
        Arbitrary<String> wellFormed = Combinators.combine(label, label, label, Arbitraries.of("", "/phone", "/a b", "/\u00e9"))
                .as((local, domain, tld, resource) -> local + "@" + domain + "." + tld + resource);
        Arbitrary<String> nearMiss = Combinators.combine(anyText(), Arbitraries.of("@", "@@", ""), anyText())
                .as((a, at, b) -> a + at + b);
        return Arbitraries.oneOf(wellFormed, nearMiss, anyText(), Arbitraries.of("", " ", "alice@", "@example.com",
                "alice@example.com", "ALICE@EXAMPLE.COM", "alice@xn--bcher-kva.example", "alice@b\u00fccher.example",
                "a".repeat(1100) + "@example.com", "alice@" + "a".repeat(70) + ".example"));
    }

    /** Peers: addresses with and without ports, in and out of brackets, near misses and anything. */
    static Arbitrary<String> peers() {
        Arbitrary<Integer> octet = Arbitraries.integers().between(0, 300);
        Arbitrary<Integer> port = Arbitraries.integers().between(-1, 70000);
        Arbitrary<String> v4 = Combinators.combine(octet, octet, octet, octet).as((a, b, c, d) -> a + "." + b + "." + c + "." + d);
        Arbitrary<String> hextet = Arbitraries.strings().withChars("0123456789abcdefABCDEFg").ofMinLength(0).ofMaxLength(5);
        Arbitrary<String> v6 = hextet.list().ofMinSize(1).ofMaxSize(9).map(l -> String.join(":", l));
        Arbitrary<String> withPort = Combinators.combine(v4, port).as((a, p) -> a + ":" + p);
        Arbitrary<String> bracketed = Combinators.combine(v6, port, Arbitraries.of(true, false))
                .as((a, p, withP) -> "[" + a + "]" + (withP ? ":" + p : ""));
        return Arbitraries.oneOf(v4, withPort, v6, bracketed, anyText(), Arbitraries.of("", " ", "::", "[::1]", "[::1]:5004",
                "::ffff:192.0.2.7", "[::ffff:192.0.2.7]:4000", "192.0.2.7:4000", "relay.example.com", "localhost:4000",
                "fe80::1%eth0", "[fe80::1%25eth0]:4000", "1.2.3.4:0", "0.0.0.0", "255.255.255.255:65535"));
    }

    /**
     * A JSON string literal of {@code text}, escaped as JSON requires; surrogates are escaped too,
     * so that a lone one reaches the API as the string holds it (UTF-8 cannot carry it raw).
     */
    static String quoted(String text) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** JSON values as text, nested a few levels, with the keys the API reads turning up often (twice, at times). */
    static Arbitrary<String> jsonValues(int depth) {
        Arbitrary<String> scalar = Arbitraries.oneOf(
                jids().map(Generators::quoted), peers().map(Generators::quoted), anyText().map(Generators::quoted),
                Arbitraries.of("null", "true", "false", "0", "-1", "1e999", "3.25", "12345678901234567890123", "-0.0e-5"));
        if (depth <= 0) {
            return scalar;
        }
        Arbitrary<String> inner = Arbitraries.lazy(() -> jsonValues(depth - 1));
        Arbitrary<String> array = inner.list().ofMaxSize(4).map(l -> "[" + String.join(", ", l) + "]");
        Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.of("user", "peerA", "peerB", "User", "peera", ""),
                anyText());
        Arbitrary<String> member = Combinators.combine(key, inner).as((k, v) -> quoted(k) + ": " + v);
        Arbitrary<String> object = member.list().ofMaxSize(5).map(l -> "{" + String.join(", ", l) + "}");
        return Arbitraries.oneOf(scalar, array, object);
    }

    /** Allocation bodies: mostly objects with a user and peers of every kind, some broken on purpose. */
    static Arbitrary<String> allocationBodies() {
        Arbitrary<String> user = Arbitraries.oneOf(jids().map(Generators::quoted), jsonValues(1));
        Arbitrary<String> peer = Arbitraries.oneOf(peers().map(Generators::quoted), Arbitraries.of("null"), jsonValues(1));
        Arbitrary<List<String>> extras = Combinators.combine(Arbitraries.of("user", "peerA", "peerB", "note"), jsonValues(1))
                .as((k, v) -> quoted(k) + ": " + v).list().ofMaxSize(2);
        Arbitrary<String> object = Combinators.combine(user, peer, peer, Arbitraries.of(0, 1, 2, 3), extras)
                .as((u, a, b, which, more) -> {
                    StringBuilder o = new StringBuilder("{\"user\": ").append(u);
                    if ((which & 1) != 0) {
                        o.append(", \"peerA\": ").append(a);
                    }
                    if ((which & 2) != 0) {
                        o.append(", \"peerB\": ").append(b);
                    }
                    more.forEach(m -> o.append(", ").append(m));
                    return o.append('}').toString();
                });
        Arbitrary<String> mangled = Combinators.combine(object, Arbitraries.integers().between(0, 60), anyText())
                .as((o, at, junk) -> o.substring(0, Math.min(at, o.length())) + junk);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, object), net.jqwik.api.Tuple.of(2, jsonValues(3)), net.jqwik.api.Tuple.of(2, mangled));
    }
}
