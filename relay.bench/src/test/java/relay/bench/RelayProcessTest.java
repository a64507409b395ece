package relay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelayProcessTest {

    @TempDir
    Path tmp;

    @Test
    void benchConfigurationKeepsTheRelayOnLoopbackAndOutOfTheWay() throws Exception {
        BenchOptions o = BenchOptions.parse(2, "--io-threads", "2", "--relay-ports", "21000-28999", "--no-rtcp",
                "--http-port", "18555");
        RelayProcess.writeConfig(tmp, o);
        String core = Files.readString(tmp.resolve("relay.core.cfg"));
        for (String line : List.of("bind.address=127.0.0.1", "public.address=127.0.0.1", "port.min=21000",
                "port.max=28999", "rtcp=false", "io.threads=2")) {
            assertTrue(core.contains(line + "\n"), line + " in\n" + core);
        }
        assertEquals("domains=localhost\n", Files.readString(tmp.resolve("relay.policy.whitelist.cfg")));
        assertTrue(Files.readString(tmp.resolve("relay.policy.quota.cfg")).contains("max.channels.per.user=100000"));
        assertEquals("address=127.0.0.1\nport=18555\n", Files.readString(tmp.resolve("relay.http.cfg")));
        assertTrue(!core.contains("io.engine"), "the relay's own engine unless asked:\n" + core);
        RelayProcess.writeConfig(tmp, BenchOptions.parse(2, "--io-engine", "nio"));
        assertTrue(Files.readString(tmp.resolve("relay.core.cfg")).contains("io.engine=nio\n"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(2, "--io-engine", "epoll"));
        assertTrue(e.getMessage().contains("--io-engine must be auto, nio or ffm"), e.getMessage());
    }

    @Test
    void withClusterTheRelayIsNodeBenchUnderAPrefixOfItsOwnAndWithoutItNoClusterConfigurationSurvives()
            throws Exception {
        BenchOptions on = BenchOptions.parse(2, "--alloc-rate", "10", "--cluster", "redis://127.0.0.1:6379/0");
        RelayProcess.writeConfig(tmp, on, "relay-bench:0123456789abcdef:");
        assertEquals("redis.uri=redis://127.0.0.1:6379/0\nkey.prefix=relay-bench:0123456789abcdef:\nnode.id=bench\n",
                Files.readString(tmp.resolve("relay.cluster.cfg")));
        String a = RelayProcess.clusterPrefix();
        assertTrue(a.matches("relay-bench:[0-9a-f]{16}:"), a);
        assertTrue(a.length() <= 50, "the cluster takes prefixes of up to 50 characters");
        assertTrue(!a.equals(RelayProcess.clusterPrefix()), "every run its own prefix");
        RelayProcess.writeConfig(tmp, BenchOptions.parse(2, "--alloc-rate", "10"));
        assertTrue(!Files.exists(tmp.resolve("relay.cluster.cfg")), "a default relay.cluster.cfg is removed");
    }

    @Test
    void theCommandPinsTheJvmAndKeepsItRunningWithoutATerminal() {
        List<String> pinned = RelayProcess.command(BenchOptions.parse(2, "--relay-jvm", "-Xmx128m"));
        assertEquals(List.of("taskset", "-c", "1", "nice", "-n", "-10"), pinned.subList(0, 6));
        assertTrue(pinned.get(6).endsWith("/bin/java"));
        assertEquals(List.of("-Xmx128m", "-Dgosh.args=--nointeractive", "-jar", "relay.jar"), pinned.subList(7, 11));
        List<String> free = RelayProcess.command(BenchOptions.parse(2, "--no-pin", "--prio", "normal"));
        assertTrue(free.get(0).endsWith("/bin/java"), free.toString());
    }

    @Test
    void defaultConfigurationIsFoundNextToTheJarOutsideTarget() throws Exception {
        Path cnf = Files.createDirectories(tmp.resolve("cnf"));
        Path jar = Files.createDirectories(cnf.resolve("target")).resolve("relay.jar");
        Files.writeString(jar, "");
        assertEquals(Optional.empty(), RelayProcess.defaultEtc(jar));
        Files.createDirectories(cnf.resolve("target/classes/etc"));
        Files.writeString(cnf.resolve("target/classes/etc/relay.core.cfg"), "");
        assertEquals(Optional.empty(), RelayProcess.defaultEtc(jar), "build output does not count");
        Files.createDirectories(cnf.resolve("etc"));
        Files.writeString(cnf.resolve("etc/relay.core.cfg"), "port.min=10000\n");
        assertEquals(Optional.of(cnf.resolve("etc")), RelayProcess.defaultEtc(jar));
    }
}
