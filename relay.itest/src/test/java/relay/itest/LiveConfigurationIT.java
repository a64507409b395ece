package relay.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.Map;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.LogLevel;

import relay.api.ChannelRequest;
import relay.api.RelayChannel;
import relay.api.RelayDeniedException;
import relay.api.RelayService;
import relay.api.spi.RelayPolicy;
import relay.testing.Poll;

/**
 * Scenario 3: configuration pushed through Config Admin while the relay runs. The next request
 * obeys the new configuration; the component is the same instance, never restarted (the same
 * service registration, the same object, the same component configuration); an invalid
 * configuration is refused with a log line and the previous one stays in force.
 */
public class LiveConfigurationIT extends ContainerTest {

    private static final String WHITELIST_PID = "relay.policy.whitelist";
    private static final String QUOTA_PID = "relay.policy.quota";

    private RelayService relay;
    private RelayBundles bundles;
    private Configs configs;
    private Components components;
    private LogEntries log;
    private Policy whitelist;
    private Policy quota;

    @Before
    public void startRelay() {
        relay = TestRelay.start(context);
        bundles = new RelayBundles(context);
        configs = new Configs(context);
        components = new Components(context);
        log = new LogEntries(context);
    }

    @After
    public void restore() {
        log.close();
        bundles.uninstall(RelayBundles.WHITELIST);
        bundles.uninstall(RelayBundles.QUOTA);
        configs.delete(WHITELIST_PID);
        configs.delete(QUOTA_PID);
        TestRelay.destroyAll(relay);
        configs.put(TestRelay.CORE_PID, TestRelay.coreConfig(Map.of()));
        Poll.until("the suite's core configuration back in force", () -> relay.stats().maxChannels() == 10000);
    }

    /** Whitelist example.com and a quota of one channel per user, configured and started; both as first seen. */
    private void startPolicies() {
        configs.put(WHITELIST_PID, Map.of("domains", "example.com"));
        configs.put(QUOTA_PID, Map.of("max.channels.per.user", 1));
        bundles.start(RelayBundles.WHITELIST);
        bundles.start(RelayBundles.QUOTA);
        whitelist = new Policy(WHITELIST_PID);
        quota = new Policy(QUOTA_PID);
    }

    @Test
    public void aNewWhitelistAndQuotaApplyToTheNextRequestWithoutRestartingThePolicies() throws Exception {
        startPolicies();

        ChannelPeers alice = new ChannelPeers(relay.allocate(ChannelRequest.of("alice@example.com")));
        try (alice) {
            alice.latch(relay).assertForwardsBothWays();
            assertEquals("quota", TestRelay.denial(relay, "alice@example.com").policy());
            assertEquals("whitelist", TestRelay.denial(relay, "bob@example.org").policy());

            configs.put(WHITELIST_PID, Map.of("domains", new String[] {"example.com", "example.org"}));
            configs.put(QUOTA_PID, Map.of("max.channels.per.user", "2"));
            Poll.until("the new whitelist in force", () -> whitelist.service.describe().contains("example.org"));
            Poll.until("the new quota in force", () -> quota.service.describe().contains("channels per user: 2"));

            relay.allocate(ChannelRequest.of("bob@example.org"));
            relay.allocate(ChannelRequest.of("alice@example.com/laptop"));
            assertEquals("quota", TestRelay.denial(relay, "alice@example.com/tablet").policy());
            assertEquals("whitelist", TestRelay.denial(relay, "mallory@foreign.test").policy());

            whitelist.assertNotRestarted();
            quota.assertNotRestarted();
            alice.assertForwardsBothWays();
        }
    }

    @Test
    public void anInvalidPolicyConfigurationIsRefusedAndThePreviousOneHolds() throws Exception {
        startPolicies();

        configs.put(WHITELIST_PID, Map.of("domains", new String[] {"example.org", "not a domain!"}));
        log.await(RelayBundles.WHITELIST, LogLevel.ERROR, "domains", "not a domain!");
        configs.put(QUOTA_PID, Map.of("max.channels.per.user", -1));
        log.await(RelayBundles.QUOTA, LogLevel.ERROR, "max.channels.per.user", "-1");

        relay.allocate(ChannelRequest.of("alice@example.com"));
        assertEquals("the previous quota of 1", "quota", TestRelay.denial(relay, "alice@example.com").policy());
        assertEquals("the previous whitelist", "whitelist", TestRelay.denial(relay, "bob@example.org").policy());
        whitelist.assertNotRestarted();
        quota.assertNotRestarted();
    }

    /**
     * Values that Declarative Services would read wrongly into an int or a boolean (2.5 as 2, a long
     * past the int range wrapped, "sometimes" or "on" as false, " 2 " refused without naming it)
     * are read as the relay documents them: refused with a log line naming the key and the value,
     * or taken as a .cfg file means them.
     */
    @Test
    public void policyValuesAreReadAsTheRelayDocumentsThemNotAsBareCoercionWould() throws Exception {
        startPolicies();

        configs.put(QUOTA_PID, Map.of("max.channels.per.user", 2.5d));
        log.await(RelayBundles.QUOTA, LogLevel.ERROR, "max.channels.per.user", "'2.5'");
        configs.put(QUOTA_PID, Map.of("max.channels.per.user", 99_999_999_999L));
        log.await(RelayBundles.QUOTA, LogLevel.ERROR, "max.channels.per.user", "99999999999");
        configs.put(QUOTA_PID, Map.of("max.requests.per.minute", "ten"));
        log.await(RelayBundles.QUOTA, LogLevel.ERROR, "max.requests.per.minute", "'ten'");
        configs.put(WHITELIST_PID, Map.of("domains", "example.com, example.org", "revoke", "sometimes"));
        log.await(RelayBundles.WHITELIST, LogLevel.ERROR, "revoke", "'sometimes'");
        configs.put(WHITELIST_PID, Map.of("domains", 42));
        log.await(RelayBundles.WHITELIST, LogLevel.ERROR, "domains", "'42'");

        relay.allocate(ChannelRequest.of("alice@example.com"));
        assertEquals("the previous quota of 1", "quota", TestRelay.denial(relay, "alice@example.com").policy());
        assertEquals("the previous whitelist", "whitelist", TestRelay.denial(relay, "bob@example.org").policy());

        configs.put(QUOTA_PID, Map.of("max.channels.per.user", " 2 "));
        configs.put(WHITELIST_PID, Map.of("domains", "example.com, example.org", "revoke", "on"));
        Poll.until("a quota of 2", () -> quota.service.describe().contains("channels per user: 2,"));
        Poll.until("revoke on", () -> whitelist.service.describe().endsWith("revoke=true"));
        relay.allocate(ChannelRequest.of("alice@example.com"));
        relay.allocate(ChannelRequest.of("bob@example.org"));
        whitelist.assertNotRestarted();
        quota.assertNotRestarted();
    }

    @Test
    public void aNewCoreConfigurationAppliesAtOnceWithoutRestartingTheRelay() throws Exception {
        Core core = new Core();
        ChannelPeers live = new ChannelPeers(relay.allocate(ChannelRequest.of("alice@example.com")));
        try (live) {
            live.latch(relay).assertForwardsBothWays();

            configs.put(TestRelay.CORE_PID, TestRelay.coreConfig(Map.of("max.channels", 3)));
            Poll.until("max.channels 3 in force", () -> relay.stats().maxChannels() == 3);
            relay.allocate(ChannelRequest.of("bob@example.com"));
            relay.allocate(ChannelRequest.of("carol@example.com"));
            assertEquals(RelayDeniedException.Reason.CAPACITY, TestRelay.denial(relay, "dave@example.com").reason());

            core.assertNotRestarted();
            live.assertForwardsBothWays();
            assertTrue(relay.channel(live.channel().id()).isPresent());
        }
    }

    @Test
    public void anInvalidCoreConfigurationIsRefusedAndThePreviousOneHolds() throws Exception {
        Core core = new Core();
        ChannelPeers live = new ChannelPeers(relay.allocate(ChannelRequest.of("alice@example.com")));
        try (live) {
            live.latch(relay);

            configs.put(TestRelay.CORE_PID, TestRelay.coreConfig(Map.of("port.min", 27500, "port.max", 27100, "max.channels", 3)));
            log.await(RelayBundles.CORE, LogLevel.ERROR, "port.min", "27500");

            assertEquals("the previous max.channels", 10000, relay.stats().maxChannels());
            RelayChannel next = relay.allocate(ChannelRequest.of("bob@example.com"));
            assertTrue("ports of the previous range: " + next,
                    TestRelay.inRange(next.portA()) && TestRelay.inRange(next.portB()));
            live.assertForwardsBothWays();
            core.assertNotRestarted();
        }
    }

    /** A policy component as first seen, to prove later that it is still that instance. */
    private final class Policy {
        private final String name;
        private final RelayPolicy service;
        private final long serviceId;
        private final long componentId;

        Policy(String name) {
            this.name = name;
            ServiceReference<RelayPolicy> ref = policyReference(name);
            service = context.getService(ref);
            serviceId = (Long) ref.getProperty("service.id");
            componentId = components.active(bundles.find(name).orElseThrow(), name).id;
        }

        void assertNotRestarted() {
            ServiceReference<RelayPolicy> now = policyReference(name);
            assertEquals(name + ": the same service registration", serviceId, (long) (Long) now.getProperty("service.id"));
            assertSame(name + ": the same component instance", service, context.getService(now));
            assertEquals(name + ": the same component configuration", componentId,
                    components.active(bundles.find(name).orElseThrow(), name).id);
        }
    }

    /** The core component as first seen. */
    private final class Core {
        private final long serviceId = Services.id(context, RelayService.class);
        private final long componentId = components.active(bundles.find(RelayBundles.CORE).orElseThrow(), "relay.core.RelayCore").id;

        void assertNotRestarted() {
            assertEquals("relay.core: the same service registration", serviceId, Services.id(context, RelayService.class));
            assertSame("relay.core: the same component instance", relay, Services.await(context, RelayService.class));
            assertEquals("relay.core: the same component configuration", componentId,
                    components.active(bundles.find(RelayBundles.CORE).orElseThrow(), "relay.core.RelayCore").id);
        }
    }

    private ServiceReference<RelayPolicy> policyReference(String componentName) {
        String filter = "(component.name=" + componentName + ")";
        return Poll.until("the " + componentName + " policy service", () -> {
            try {
                return context.getServiceReferences(RelayPolicy.class, filter).stream().findFirst().orElse(null);
            } catch (InvalidSyntaxException e) {
                throw new IllegalArgumentException(filter, e);
            }
        });
    }
}
