package relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import relay.api.AddressFamily;
import relay.api.ChannelRequest;
import relay.api.Side;
import relay.core.RelayCore;
import relay.core.RelayCoreConfig;
import relay.testing.CapturedLog;
import relay.testing.ComponentConfig;

/**
 * What the core gained, on the REST surface: {@code "familyA"}/{@code "familyB"} of an allocation
 * (IPv4/IPv6 bridges), {@code hostA}/{@code hostB} and the caps in force ({@code maxKbps},
 * {@code maxPps}) of a channel. Against a stub for what reaches the relay, and real cores on
 * loopback (ports 26300-26399) for what a core answers.
 */
class RestApiFamiliesTest {

    private final CapturedLog log = new CapturedLog("relay.http");
    private final StubRelay stub = new StubRelay();
    private final RestApi api = new RestApi(log.logger());
    private RelayCore core;

    {
        api.useRelay(stub);
    }

    @AfterEach
    void stop() {
        if (core != null) {
            core.deactivate();
        }
        log.close();
    }

    private void useCore(Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(Map.of("bind.address", "127.0.0.1", "public.address", "127.0.0.1",
                "port.min", 26300, "port.max", 26399, "io.threads", 1));
        config.putAll(extra);
        core = new RelayCore();
        core.activate(ComponentConfig.of(RelayCoreConfig.class, config));
        api.useRelay(core);
    }

    private static JsonObject object(ApiResponse r) {
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    @Test
    void familiesReachTheRelayInAnyCase() {
        ApiResponse r = Call.allocate("{\"user\": \"alice@example.com\", \"familyA\": \"IPv4\", \"familyB\": \"ipv6\"}").on(api);
        assertEquals(201, r.status(), r.body());
        ChannelRequest request = stub.requests().get(0);
        assertEquals(Optional.of(AddressFamily.IPV4), request.family(Side.A));
        assertEquals(Optional.of(AddressFamily.IPV6), request.family(Side.B));
        JsonObject ch = object(r);
        assertEquals("127.0.0.1", ch.get("host").getAsString());
        assertEquals("127.0.0.1", ch.get("hostA").getAsString(), "no host of its own: the channel's");
        assertEquals("::1", ch.get("hostB").getAsString());

        Call.allocate("{\"user\": \"alice@example.com\", \"familyA\": null}").on(api);
        assertEquals(Optional.empty(), stub.requests().get(1).family(Side.A));
        assertEquals(Optional.empty(), stub.requests().get(1).family(Side.B));
    }

    @Test
    void anythingButIpv4OrIpv6Is400InvalidFamilyAndReachesNoRelay() {
        for (String side : List.of("familyA", "familyB")) {
            for (String value : List.of("\"ipv5\"", "\"\"", "\"4\"", "\"inet6\"", "\" ipv4\"", "4", "true", "[\"ipv4\"]",
                    "{}")) {
                ApiResponse r = Call.allocate("{\"user\": \"alice@example.com\", \"" + side + "\": " + value + "}").on(api);
                assertEquals(400, r.status(), value + " " + r.body());
                assertEquals("invalid_family", object(r).get("error").getAsString(), r.body());
                assertTrue(object(r).get("message").getAsString().startsWith(side + ": "), r.body());
            }
        }
        assertEquals(List.of(), stub.requests());
    }

    @Test
    void rtcpMuxReachesTheRelayAndAnythingButABooleanIs400() {
        Call.allocate("{\"user\": \"alice@example.com\", \"rtcpMux\": true}").on(api);
        Call.allocate("{\"user\": \"alice@example.com\", \"rtcpMux\": null}").on(api);
        Call.allocate("{\"user\": \"alice@example.com\"}").on(api);
        assertEquals(List.of(true, false, false), stub.requests().stream().map(ChannelRequest::rtcpMux).toList());
        for (String value : List.of("\"true\"", "1", "[true]", "{}")) {
            ApiResponse r = Call.allocate("{\"user\": \"alice@example.com\", \"rtcpMux\": " + value + "}").on(api);
            assertEquals(400, r.status(), value + " " + r.body());
            assertEquals("invalid_rtcp_mux", object(r).get("error").getAsString(), r.body());
        }
        assertEquals(3, stub.requests().size(), "a bad request reaches no relay");
    }

    @Test
    void anRtcpMuxChannelHasNoRtcpPorts() {
        useCore(Map.of());
        JsonObject mux = object(Call.allocate("{\"user\": \"alice@example.com\", \"rtcpMux\": true}").on(api));
        assertEquals(false, mux.get("rtcp").getAsBoolean(), mux.toString());
        JsonObject plain = object(Call.allocate("{\"user\": \"alice@example.com\"}").on(api));
        assertEquals(true, plain.get("rtcp").getAsBoolean(), plain.toString());
    }

    @Test
    void aFamilyTheRelayHasNoAddressForIs400WithTheCoresReason() {
        useCore(Map.of());
        ApiResponse r = Call.allocate("{\"user\": \"alice@example.com\", \"familyB\": \"ipv6\"}").on(api);
        assertEquals(400, r.status(), r.body());
        assertEquals("invalid_family", object(r).get("error").getAsString());
        assertTrue(object(r).get("message").getAsString().contains("bind.address6"), r.body());
        assertTrue(core.channels().isEmpty());
    }

    @Test
    void aBridgeHasAHostPerSideAndPeersInRfc5952Form() {
        useCore(Map.of("bind.address6", "::1", "public.address6", "::1"));
        ApiResponse r = Call.allocate("{\"user\": \"alice@example.com\", \"familyB\": \"ipv6\","
                + " \"peerB\": \"[0:0:0:0:0:0:0:1]:4000\"}").on(api);
        assertEquals(201, r.status(), r.body());
        JsonObject ch = object(r);
        assertEquals("127.0.0.1", ch.get("host").getAsString());
        assertEquals("127.0.0.1", ch.get("hostA").getAsString());
        assertEquals("::1", ch.get("hostB").getAsString());
        assertEquals("[::1]:4000", ch.get("expectedPeerB").getAsString());
    }

    @Test
    void theCapsInForceShowAndNullMeansNone() {
        useCore(Map.of("max.kbps", "512"));
        JsonObject capped = object(Call.allocate("{\"user\": \"alice@example.com\"}").on(api));
        assertEquals(512, capped.get("maxKbps").getAsInt());
        assertTrue(capped.get("maxPps").isJsonNull());
        JsonObject seen = object(Call.get("/relay/channels/" + capped.get("id").getAsString()).on(api));
        assertEquals(512, seen.get("maxKbps").getAsInt());

        api.useRelay(stub);
        JsonObject free = object(Call.allocate("{\"user\": \"alice@example.com\"}").on(api));
        assertTrue(free.get("maxKbps").isJsonNull(), free.toString());
        assertTrue(free.get("maxPps").isJsonNull(), free.toString());
    }
}
