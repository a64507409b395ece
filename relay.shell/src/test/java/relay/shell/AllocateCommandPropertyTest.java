package relay.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import relay.api.BareJid;
import relay.api.ExpectedPeer;
import relay.api.RelayChannel;
import relay.api.Side;
import relay.core.RelayCore;

/**
 * {@code relay:allocate <jid> [peerA] [peerB]} with random JIDs and peers, against a real core
 * (ports 25300-25399): a channel is allocated exactly when the JID and both peers parse (or a peer
 * is {@code -}), with those peers in the request; otherwise one line on the error stream, no
 * request reaches the relay and nothing is allocated. The command never throws.
 */
class AllocateCommandPropertyTest {

    private RelayCore core;

    @BeforeProperty
    void start() {
        core = RelayCore25.start(25300);
    }

    @AfterProperty
    void stop() {
        core.deactivate();
    }

    @Provide
    Arbitrary<String> jids() {
        return Arbitraries.oneOf(Arbitraries.of("alice@example.com", "Bob@Example.COM/phone", "alice@", "@x", "a b@c.d", ""),
                Arbitraries.strings().ofMaxLength(20), Arbitraries.strings().withChars("ab@./ ").ofMaxLength(10));
    }

    @Provide
    Arbitrary<String> peers() {
        Arbitrary<Integer> n = Arbitraries.integers().between(0, 300);
        Arbitrary<String> v4 = Combinators.combine(n, n, n, n, Arbitraries.integers().between(-1, 70000))
                .as((a, b, c, d, p) -> a + "." + b + "." + c + "." + d + (p < 0 ? "" : ":" + p));
        return Arbitraries.oneOf(v4, Arbitraries.of("-", "", " ", "[::1]:4000", "[::1]", "::1", "2001:db8::1", "[2001:db8::1",
                "relay.example.com", "[\"2001:db8::1\"]", "1.2.3.4:0"), Arbitraries.strings().ofMaxLength(16),
                Arbitraries.strings().withChars("0123456789abcdef:.[]-").ofMaxLength(20));
    }

    @Property(tries = 1000)
    void allocatedExactlyWhenEverythingParses(@ForAll("jids") String jid, @ForAll("peers") String peerA,
            @ForAll("peers") String peerB) {
        RecordingRelay relay = new RecordingRelay(core);
        RelayCommands commands = new RelayCommands(relay, Clock.systemUTC());
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Allocation a;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            a = commands.allocate(false, "", "", jid, peerA, peerB);
        } finally {
            System.setErr(err);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("INFO relay.core")).toList();

        Optional<BareJid> user = parse(() -> BareJid.parse(jid));
        Optional<Optional<ExpectedPeer>> a1 = peer(peerA);
        Optional<Optional<ExpectedPeer>> b1 = peer(peerB);
        if (user.isPresent() && a1.isPresent() && b1.isPresent()) {
            assertNotNull(a, () -> "refused " + jid + " " + peerA + " " + peerB + ": " + lines);
            assertEquals(List.of(), lines);
            assertEquals(1, relay.requests().size());
            assertEquals(a1.get(), relay.requests().get(0).expectedPeer(Side.A));
            assertEquals(b1.get(), relay.requests().get(0).expectedPeer(Side.B));
            assertEquals(user.get(), a.channel().owner());
            core.destroy(a.id());
        } else {
            assertNull(a);
            assertEquals(1, lines.size(), () -> "not one line: " + lines);
            assertTrue(lines.get(0).startsWith("Invalid "), lines.get(0));
            assertEquals(List.of(), relay.requests());
        }
        assertEquals(List.of(), core.channels().stream().map(RelayChannel::id).toList());
    }

    /** @return empty if it does not parse; the peer, or none for "-", if it does */
    private static Optional<Optional<ExpectedPeer>> peer(String text) {
        if (text.equals("-")) {
            return Optional.of(Optional.empty());
        }
        return parse(() -> ExpectedPeer.parse(text)).map(Optional::of);
    }

    private static <T> Optional<T> parse(java.util.function.Supplier<T> parser) {
        try {
            return Optional.of(parser.get());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
