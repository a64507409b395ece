package relay.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

import relay.api.BareJid;
import relay.api.ChannelRequest;
import relay.api.DestroyReason;
import relay.api.RelayChannel;
import relay.api.RelayDeniedException;
import relay.api.RelayService;
import relay.api.RelayStats;
import relay.api.spi.ChannelListener;
import relay.api.spi.RelayPolicy;

/**
 * The relay as a DS component: provides {@link RelayService}, reads PID {@code relay.core},
 * binds {@link RelayPolicy} and {@link ChannelListener} services as they come and go.
 *
 * <p>A new configuration is applied in place by {@link #modified}: no channel is lost, and an
 * invalid configuration is refused with one log line while the previous one stays in force.
 * Outside a framework (tests, embedding) call {@link #activate}, the bind methods and
 * {@link #deactivate} directly; an instance is activated once.
 */
@Component(service = RelayService.class, configurationPid = "relay.core", immediate = true)
@Designate(ocd = RelayCoreConfig.class)
public class RelayCore implements RelayService {

    @Reference(service = LoggerFactory.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC)
    private volatile Logger logger;

    private final Log log = new Log(() -> logger);
    private final Policies policies = new Policies();
    private final Listeners listeners = new Listeners("relay-events", log);
    private volatile CandidateProcessor processor;

    /** Starts the relay with {@code properties} (keys of PID {@code relay.core}). */
    @Activate
    public void activate(Map<String, ?> properties) {
        CoreConfig cfg;
        try {
            cfg = CoreConfig.parse(properties);
        } catch (IllegalArgumentException e) {
            log.error("relay.core not started, configuration refused: " + e.getMessage(), null);
            throw e;
        }
        try {
            processor = new CandidateProcessor(cfg, policies, listeners, log);
        } catch (IOException e) {
            throw new UncheckedIOException("relay.core cannot open its I/O loops", e);
        }
        log.info("relay started: " + describe(cfg));
    }

    /** Applies a new configuration without touching live channels; refuses an invalid one. */
    @Modified
    public void modified(Map<String, ?> properties) {
        CoreConfig next;
        try {
            next = CoreConfig.parse(properties);
        } catch (IllegalArgumentException e) {
            log.error("relay.core configuration refused, previous one stays in force: " + e.getMessage(), null);
            return;
        }
        active().reconfigure(next);
        log.info("relay reconfigured: " + describe(next));
    }

    /** Destroys every channel (reason SHUTDOWN), closes every socket, ends every thread. */
    @Deactivate
    public void deactivate() {
        CandidateProcessor p = processor;
        processor = null; // from now on every call says the relay is not active
        if (p != null) {
            p.shutdown();
        }
        try {
            listeners.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("relay stopped");
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void bindPolicy(RelayPolicy policy, Map<String, ?> properties) {
        policies.add(policy, properties);
    }

    public void updatedPolicy(RelayPolicy policy, Map<String, ?> properties) {
        policies.update(policy, properties);
    }

    public void unbindPolicy(RelayPolicy policy, Map<String, ?> properties) {
        policies.remove(policy);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void bindListener(ChannelListener listener) {
        listeners.add(listener);
    }

    public void unbindListener(ChannelListener listener) {
        listeners.remove(listener);
    }

    @Override
    public RelayChannel allocate(ChannelRequest request) throws RelayDeniedException {
        return active().allocate(request);
    }

    @Override
    public Optional<RelayChannel> channel(String id) {
        return active().channel(id);
    }

    @Override
    public List<RelayChannel> channels() {
        return active().channels(null);
    }

    @Override
    public List<RelayChannel> channels(BareJid owner) {
        if (owner == null) {
            throw new IllegalArgumentException("owner is missing");
        }
        return active().channels(owner);
    }

    @Override
    public Optional<RelayChannel> destroy(String id) {
        return destroy(id, DestroyReason.REQUESTED);
    }

    @Override
    public Optional<RelayChannel> destroy(String id, DestroyReason reason) {
        if (reason != DestroyReason.REQUESTED && reason != DestroyReason.REVOKED) {
            throw new IllegalArgumentException("only the relay destroys a channel with reason " + reason);
        }
        return active().destroy(id, reason);
    }

    /** For now destroys before it returns; the stage is complete when the caller gets it. */
    @Override
    public CompletionStage<Optional<RelayChannel>> destroyAsync(String id, DestroyReason reason) {
        return CompletableFuture.completedFuture(destroy(id, reason));
    }

    @Override
    public RelayStats stats() {
        return active().stats();
    }

    @Override
    public boolean draining() {
        return active().draining();
    }

    @Override
    public void drain(boolean draining) {
        active().drain(draining);
    }

    /** The I/O threads, for tests that check nothing survives a stop. */
    List<Thread> ioThreads() {
        return active().threads();
    }

    private CandidateProcessor active() {
        CandidateProcessor p = processor;
        if (p == null) {
            throw new IllegalStateException("the relay is not active");
        }
        return p;
    }

    private static String describe(CoreConfig c) {
        return "bind " + c.bindAddress().getHostAddress() + ", public " + c.publicAddress() + ", ports " + c.portMin()
                + ".." + c.portMax() + (c.rtcp() ? " (RTP+RTCP)" : " (RTP only)") + ", idle.timeout " + c.idleTimeoutSeconds()
                + " s, max.channels " + c.maxChannels() + ", latching " + c.latching().name().toLowerCase()
                + ", io.threads " + c.ioThreads();
    }
}
