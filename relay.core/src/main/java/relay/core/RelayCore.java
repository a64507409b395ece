package relay.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

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

    /** How long a stop may take before the component gives up waiting (a loop stuck in a bug). */
    private static final long STOP_WAIT_MILLIS = 30_000;

    @Reference(service = LoggerFactory.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC)
    private volatile Logger logger;

    private final Log log = new Log(() -> logger);
    private final Policies policies = new Policies();
    private final Listeners listeners = new Listeners("relay-events", log);
    private final NanoClock clock;
    private volatile Running running;

    /** The two halves of a started relay: the caller's side and the owner of the channels. */
    private record Running(Admission admission, Conductor conductor) {
    }

    public RelayCore() {
        this(NanoClock.SYSTEM);
    }

    /** A relay on a clock of the caller's (tests of timeouts and handover). */
    RelayCore(NanoClock clock) {
        this.clock = clock;
    }

    /** Starts the relay with the configuration of PID {@code relay.core}. */
    @Activate
    public void activate(RelayCoreConfig properties) {
        CoreConfig cfg = validated(properties, "relay.core not started, configuration refused: ");
        Conductor conductor;
        try {
            conductor = new Conductor(cfg, listeners, log, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("relay.core cannot open its I/O loops", e);
        }
        running = new Running(new Admission(policies, conductor, log), conductor);
        log.info("relay started: " + cfg.describe());
    }

    /** Applies a new configuration without touching live channels; refuses an invalid one. */
    @Modified
    public void modified(RelayCoreConfig properties) {
        CoreConfig next;
        try {
            next = validated(properties, "relay.core configuration refused, previous one stays in force: ");
        } catch (IllegalArgumentException e) {
            return;
        }
        active().conductor.reconfigure(next);
        log.info("relay reconfigured: " + next.describe());
    }

    /** Destroys every channel (reason SHUTDOWN), closes every socket, ends every thread. */
    @Deactivate
    public void deactivate() {
        Running r = running;
        running = null; // from now on every call says the relay is not active
        if (r != null) {
            r.conductor.shutdown(STOP_WAIT_MILLIS);
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
        return active().admission.allocate(request);
    }

    @Override
    public Optional<RelayChannel> channel(String id) {
        Conductor c = active().conductor;
        LiveChannel ch = c.channel(id);
        return ch == null ? Optional.empty() : Optional.of(ch.snapshot(c.config().idleTimeoutSeconds()));
    }

    @Override
    public List<RelayChannel> channels() {
        return snapshots(null);
    }

    @Override
    public List<RelayChannel> channels(BareJid owner) {
        if (owner == null) {
            throw new IllegalArgumentException("owner is missing");
        }
        return snapshots(owner);
    }

    @Override
    public Optional<RelayChannel> destroy(String id) {
        return destroy(id, DestroyReason.REQUESTED);
    }

    @Override
    public Optional<RelayChannel> destroy(String id, DestroyReason reason) {
        try {
            return destroyAsync(id, reason).toCompletableFuture().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    @Override
    public CompletionStage<Optional<RelayChannel>> destroyAsync(String id, DestroyReason reason) {
        if (reason != DestroyReason.REQUESTED && reason != DestroyReason.REVOKED) {
            throw new IllegalArgumentException("only the relay destroys a channel with reason " + reason);
        }
        if (id == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return active().conductor.destroy(id, reason);
    }

    @Override
    public RelayStats stats() {
        Running r = active();
        return r.conductor.stats(r.admission.draining());
    }

    @Override
    public boolean draining() {
        return active().admission.draining();
    }

    @Override
    public void drain(boolean draining) {
        active().admission.drain(draining);
    }

    /** The I/O threads, for tests that check nothing survives a stop. */
    List<Thread> ioThreads() {
        return active().conductor.ioThreads();
    }

    /** The rounds of the first I/O loop so far (tests of wake-up coalescing, which run one loop). */
    IoLoop.Rounds ioLoopRounds() throws Exception {
        return active().conductor.loop(0).rounds().get(5, TimeUnit.SECONDS);
    }

    /**
     * Whether every latched socket of channel {@code id} is connected to its peer (tests of kernel-side latching:
     * the JDK's connect drops what is queued, so a test sends what must be counted only once it is done).
     */
    boolean latchedSocketsConnected(String id) {
        LiveChannel ch = active().conductor.channel(id);
        if (ch == null) {
            return false;
        }
        for (Endpoint e : ch.endpoints()) {
            if (e.peer != null && !e.socket.isConnected()) {
                return false;
            }
        }
        return true;
    }

    /** Kills I/O loop {@code index} as an unexpected error would (tests of fault handling). */
    void injectLoopFault(int index) {
        active().conductor.injectFault(index);
    }

    /** @throws IllegalArgumentException after one log line that says why, starting with {@code refusal} */
    private CoreConfig validated(RelayCoreConfig properties, String refusal) {
        try {
            return CoreConfig.from(properties);
        } catch (IllegalArgumentException e) {
            log.error(refusal + e.getMessage(), null);
            throw e;
        }
    }

    private List<RelayChannel> snapshots(BareJid owner) {
        Conductor c = active().conductor;
        long expire = c.config().idleTimeoutSeconds();
        return c.channels(owner).stream().map(ch -> ch.snapshot(expire)).toList();
    }

    private Running active() {
        Running r = running;
        if (r == null) {
            throw new IllegalStateException("the relay is not active");
        }
        return r;
    }
}
