package relay.core;

import relay.api.ChannelRequest;
import relay.api.RelayChannel;
import relay.api.RelayDeniedException;
import relay.api.RelayDeniedException.Reason;
import relay.api.spi.PolicyContext;
import relay.api.spi.PolicyDecision;
import relay.api.spi.RelayPolicy;

/**
 * The caller's side of an allocation, on the caller's thread: the drain flag, then every
 * policy under the user's guard, then the conductor's answer (capacity, ports, a loop), for
 * which the caller waits while it still holds the guard. A policy that throws, answers nothing
 * or disappears denies: the relay fails closed.
 */
final class Admission {

    private final Policies policies;
    private final Conductor conductor;
    private final Totals totals;
    private final Log log;
    private final UserGuards guards = new UserGuards();
    private final PolicyContext context;
    private volatile boolean draining;

    Admission(Policies policies, Conductor conductor, Log log) {
        this.policies = policies;
        this.conductor = conductor;
        this.totals = conductor.totals();
        this.log = log;
        this.context = conductor;
    }

    RelayChannel allocate(ChannelRequest request) throws RelayDeniedException {
        long start = System.nanoTime();
        try {
            return admit(request);
        } finally {
            totals.allocationSeconds.record(System.nanoTime() - start);
        }
    }

    private RelayChannel admit(ChannelRequest request) throws RelayDeniedException {
        if (request == null) {
            totals.invalid.increment();
            throw new IllegalArgumentException("channel request is missing");
        }
        if (draining) {
            throw totals.denied(Reason.DRAINING, null, "the relay is draining: live channels run on, no new ones are made", null);
        }
        for (String name : conductor.config().requiredPolicies()) {
            if (!policies.isBound(name)) { // fail closed while a required policy is away (an update, a boot)
                throw totals.denied(Reason.POLICY, name, "policy " + name + " is not available", null);
            }
        }
        RelayPolicy[] asked = policies.current();
        synchronized (guards.of(request.user())) {
            int kbps = 0;
            int pps = 0;
            int allowed = 0;
            RelayChannel channel;
            try {
                for (RelayPolicy p : asked) {
                    PolicyDecision d = ask(p, request);
                    if (!d.allowed()) {
                        throw totals.denied(Reason.POLICY, nameOf(p), d.message(), d.retryAfter());
                    }
                    allowed++;
                    kbps = LiveChannel.lower(kbps, Math.max(0, d.maxKbps())); // a policy may only lower a cap
                    pps = LiveChannel.lower(pps, Math.max(0, d.maxPps()));
                }
                channel = conductor.allocate(request, kbps, pps);
            } catch (RelayDeniedException | RuntimeException e) {
                giveBack(asked, allowed, request); // what the allowing policies booked
                throw e;
            }
            for (RelayPolicy p : asked) {
                try {
                    p.allocated(channel);
                } catch (VirtualMachineError e) {
                    throw e;
                } catch (Throwable e) {
                    log.error("policy " + nameOf(p) + " failed to book channel " + channel.id(), e);
                }
            }
            return channel;
        }
    }

    private void giveBack(RelayPolicy[] asked, int allowed, ChannelRequest request) {
        for (int i = 0; i < allowed; i++) {
            try {
                asked[i].notAllocated(request);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                log.error("policy " + nameOf(asked[i]) + " failed to give back a booking for " + request.user(), e);
            }
        }
    }

    boolean draining() {
        return draining;
    }

    void drain(boolean on) {
        if (draining != on) {
            log.info(on ? "draining: no new channels" : "drain off: accepting new channels");
        }
        draining = on;
    }

    private PolicyDecision ask(RelayPolicy p, ChannelRequest request) {
        try {
            PolicyDecision d = p.evaluate(request, context);
            return d == null ? PolicyDecision.deny("policy " + nameOf(p) + " gave no decision") : d;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) { // fail closed: a broken policy denies, naming itself
            log.error("policy " + nameOf(p) + " failed on a request by " + request.user(), e);
            return PolicyDecision.deny("policy " + nameOf(p) + " failed: " + e);
        }
    }

    private String nameOf(RelayPolicy p) {
        return policies.nameOf(p);
    }
}
