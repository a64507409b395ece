package relay.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import relay.api.ChannelRequest;
import relay.api.RelayChannel;
import relay.api.RelayDeniedException;
import relay.api.RelayService;
import relay.api.spi.RelayPolicy;

/**
 * Scenario 2: policy bundles installed, started, stopped and uninstalled while the relay runs.
 * Each change applies to the very next request, and channels already live keep forwarding
 * real datagrams through every change.
 */
public class PolicyHotPlugIT extends ContainerTest {

    private static final String WHITELIST_PID = "relay.policy.whitelist";
    private static final String QUOTA_PID = "relay.policy.quota";

    private RelayService relay;
    private RelayBundles bundles;
    private Configs configs;
    private final List<ChannelPeers> live = new ArrayList<>();

    @Before
    public void startRelayWithoutPolicies() {
        relay = TestRelay.start(context);
        bundles = new RelayBundles(context);
        configs = new Configs(context);
        bundles.uninstall(RelayBundles.WHITELIST);
        bundles.uninstall(RelayBundles.QUOTA);
    }

    @After
    public void removePoliciesAndChannels() {
        live.forEach(ChannelPeers::close);
        bundles.uninstall(RelayBundles.WHITELIST);
        bundles.uninstall(RelayBundles.QUOTA);
        configs.delete(WHITELIST_PID);
        configs.delete(QUOTA_PID);
        TestRelay.destroyAll(relay);
    }

    @Test
    public void withNoPolicyBundleStartedARequestFromAnyDomainPasses() throws Exception {
        configs.put(WHITELIST_PID, Map.of("domains", "example.com"));
        configs.put(QUOTA_PID, Map.of("max.channels.per.user", 1));
        // installed and configured, not started: as if they sat in the container's deploy folder
        bundles.install(RelayBundles.WHITELIST);
        bundles.install(RelayBundles.QUOTA);
        assertFalse("no policy service", Services.present(context, RelayPolicy.class));
        for (String jid : List.of("alice@example.com", "mallory@foreign.test", "x@[::1]", "service.example.org")) {
            relay.allocate(ChannelRequest.of(jid));
        }
        for (int i = 0; i < 6; i++) { // more than the quota configured above
            relay.allocate(ChannelRequest.of("dave@example.net"));
        }
        assertEquals(10, relay.channels().size());
    }

    @Test
    public void startingTheWhitelistRefusesAForeignDomainAtOnceAndStoppingItAllowsItAgain() throws Exception {
        configs.put(WHITELIST_PID, Map.of("domains", "example.com"));
        ChannelPeers foreign = liveChannel("mallory@foreign.test");

        bundles.start(RelayBundles.WHITELIST);
        RelayDeniedException denied = TestRelay.denial(relay, "eve@foreign.test");
        assertEquals(RelayDeniedException.Reason.POLICY, denied.reason());
        assertEquals("whitelist", denied.policy());
        ChannelPeers listed = liveChannel("alice@example.com");
        foreign.assertForwardsBothWays();

        bundles.stop(RelayBundles.WHITELIST);
        ChannelPeers foreignAgain = liveChannel("eve@foreign.test");
        foreign.assertForwardsBothWays();
        listed.assertForwardsBothWays();
        foreignAgain.assertForwardsBothWays();

        bundles.start(RelayBundles.WHITELIST);
        assertEquals("whitelist", TestRelay.denial(relay, "trudy@foreign.test").policy());
        foreign.assertForwardsBothWays();
    }

    @Test
    public void uninstallingTheQuotaWhileAUserSitsAtItLetsTheNextRequestPass() throws Exception {
        configs.put(QUOTA_PID, Map.of("max.channels.per.user", 2));
        bundles.start(RelayBundles.QUOTA);
        ChannelPeers first = liveChannel("carol@example.com");
        ChannelPeers second = liveChannel("carol@example.com");
        RelayDeniedException denied = TestRelay.denial(relay, "carol@example.com/tablet");
        assertEquals(RelayDeniedException.Reason.POLICY, denied.reason());
        assertEquals("quota", denied.policy());

        bundles.uninstall(RelayBundles.QUOTA);
        ChannelPeers third = liveChannel("carol@example.com/tablet");
        assertEquals(3, relay.channels(ChannelRequest.of("carol@example.com").user()).size());
        first.assertForwardsBothWays();
        second.assertForwardsBothWays();
        third.assertForwardsBothWays();
    }

    /** A channel of {@code jid} with both parties latched and datagrams crossing; closed after the test. */
    private ChannelPeers liveChannel(String jid) throws RelayDeniedException {
        RelayChannel channel = relay.allocate(ChannelRequest.of(jid));
        ChannelPeers peers = new ChannelPeers(channel);
        live.add(peers);
        peers.latch(relay).assertForwardsBothWays();
        return peers;
    }
}
