package relay.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import relay.api.cluster.ClusterNode;
import relay.core.RelayCore;
import relay.shell.GogoShell.Transcript;

/** {@code relay:nodes} typed into a real Gogo console, this node's figures from a real relay core. */
class NodesCommandTest {

    private static final Instant NOW = Instant.parse("2026-05-04T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private RelayCore core;

    @BeforeEach
    void start() {
        core = RelayCore25.start(25500);
    }

    @AfterEach
    void stop() {
        core.deactivate();
    }

    private ShellCluster cluster() {
        return new ShellCluster("relay-1", core, URI.create("http://127.0.0.1:8480"), NOW.minusSeconds(1))
                .with(ClusterNode.builder().id("relay-2")
                        .publicAddress("192.0.2.12").restUrl(URI.create("https://192.0.2.12:8480"))
                        .liveChannels(1234).freePorts(760).capacity(2500)
                        .busyRatio(0.375).heartbeat(NOW.minusSeconds(3)).local(false).build())
                .with(ClusterNode.builder().id("relay-3")
                        .publicAddress("2001:db8::3").restUrl(null)
                        .liveChannels(0).freePorts(1000).capacity(500)
                        .busyRatio(0.004).heartbeat(NOW.minusSeconds(65)).local(false).build());
    }

    @Test
    void nodesListsEveryLiveNodeWithAStarForThisOne() {
        try (GogoShell shell = new GogoShell(core, cluster(), CLOCK)) {
            Transcript t = shell.run("relay:allocate alice@example.com", "relay:nodes");
            assertEquals("", t.err());
            List<String> lines = t.out().lines().toList();
            List<String> table = lines.subList(lines.size() - 5, lines.size());
            int free = core.stats().portsFree();
            int capacity = core.stats().effectiveCapacity();
            assertEquals(96, free, "one channel holds four of the 100 ports");
            assertEquals(List.of(
                    "   ID       PUBLIC ADDRESS  REST URL                  LIVE  FREE PORTS  CAPACITY  BUSY  HEARTBEAT AGE",
                    "*  relay-1  127.0.0.1       http://127.0.0.1:8480        1          96" + pad(capacity, 10) + "    0%             1s",
                    "   relay-2  192.0.2.12      https://192.0.2.12:8480  1,234         760     2,500   38%             3s",
                    "   relay-3  2001:db8::3     -                            0       1,000       500    0%         1m 05s",
                    "3 live nodes; the shared store answers"), table);
        }
    }

    @Test
    void aNodeWithoutAClusterServiceSaysItRunsAlone() {
        try (GogoShell shell = new GogoShell(core, null, CLOCK)) {
            Transcript t = shell.run("relay:nodes");
            assertEquals("This node runs alone: no cluster service (the bundle relay.cluster is not installed or not"
                    + " configured).\n", t.out());
            assertEquals("", t.err());
        }
    }

    @Test
    void whenTheSharedStoreIsDownTheListSaysItIsThisNodesOwnView() {
        ShellCluster cluster = cluster();
        cluster.available(false);
        try (GogoShell shell = new GogoShell(core, cluster, CLOCK)) {
            List<String> lines = shell.run("relay:nodes").out().lines().toList();
            assertEquals(3, lines.size(), String.join("\n", lines));
            assertTrue(lines.get(1).startsWith("*  relay-1  127.0.0.1"), lines.get(1));
            assertEquals("1 live node; the shared store does not answer: this node's own view only", lines.get(2));
        }
    }

    @Test
    void aFailingClusterServiceIsOneLine() {
        ShellCluster cluster = cluster();
        cluster.failWith(new IllegalStateException("store client closed"));
        try (GogoShell shell = new GogoShell(core, cluster, CLOCK)) {
            Transcript t = shell.run("relay:nodes");
            assertEquals("", t.out());
            assertEquals("relay:nodes failed: java.lang.IllegalStateException: store client closed.\n", t.err());
        }
    }

    @Test
    void theListIsAValueForScripts() {
        try (GogoShell shell = new GogoShell(core, cluster(), CLOCK)) {
            Transcript t = shell.run("echo ((relay:nodes) local) is one of", "each (relay:nodes) { echo ($it id) }",
                    "relay:nodes | grep relay-2");
            assertEquals("", t.err());
            assertTrue(t.out().contains("relay-1 is one of\nrelay-1\nrelay-2\nrelay-3\n"), t.out());
            assertTrue(t.out().contains("   relay-2  192.0.2.12"), t.out());
        }
    }

    private static String pad(int n, int width) {
        String s = String.format("%,d", n);
        return " ".repeat(Math.max(0, width - s.length())) + s;
    }
}
