package relay.xmpp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

import relay.api.BareJid;
import relay.api.ChannelRequest;
import relay.api.DestroyReason;
import relay.api.RelayChannel;
import relay.api.RelayDeniedException;
import relay.api.RelayService;

/**
 * The component's answers: service discovery (XEP-0030), the Jingle Nodes services list and
 * channel requests (XEP-0278) over {@link RelayService}, errors as RFC 6120 prescribes for IQs,
 * answers to pings (XEP-0199), and the destruction of a requester's channels when it goes unavailable. Pure logic: it turns a
 * {@link Stanza} into the text of the answer, or none; the link writes it.
 */
final class JingleNodes {

    static final String NS_JN = "http://jabber.org/protocol/jinglenodes";
    static final String NS_CHANNEL = NS_JN + "#channel";
    static final String NS_DISCO_INFO = "http://jabber.org/protocol/disco#info";
    static final String NS_DISCO_ITEMS = "http://jabber.org/protocol/disco#items";
    static final String NS_STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";
    static final String NS_PING = "urn:xmpp:ping";

    /** The label values of {@code relay_xmpp_requests_total{result}}, all written from the start. */
    static final List<String> RESULTS = List.of("allocated", "forbidden", "resource_constraint", "not_allowed",
            "feature_not_implemented", "bad_request", "service_unavailable", "disco_info", "disco_items", "services", "ping");

    /** Every this many allocations, the tracked channels of every requester are checked against the relay. */
    static final int SWEEP_EVERY = 256;

    private final AtomicLong allocations = new AtomicLong();
    private final String domain;
    private final Supplier<RelayService> relay;
    private final Consumer<String> warn;
    private final Map<String, AtomicLong> results = new LinkedHashMap<>();
    /** Channel ids allocated through the component, by the requester's full JID. */
    private final Map<String, Set<String>> byRequester = new ConcurrentHashMap<>();

    JingleNodes(String domain, Supplier<RelayService> relay, Consumer<String> warn) {
        this.domain = domain;
        this.relay = relay;
        this.warn = warn;
        RESULTS.forEach(r -> results.put(r, new AtomicLong()));
    }

    /** Takes over the counts and the tracked channels of the handler this one replaces (a new domain). */
    void adopt(JingleNodes previous) {
        previous.results.forEach((k, v) -> results.get(k).addAndGet(v.get()));
        byRequester.putAll(previous.byRequester);
    }

    /** @return the requests answered so far, by result, every label present */
    Map<String, Long> results() {
        Map<String, Long> m = new LinkedHashMap<>();
        results.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    /** @return the channels allocated through the component and not yet seen gone, by requester */
    Map<String, Set<String>> tracked() {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        byRequester.forEach((k, v) -> {
            synchronized (v) {
                if (!v.isEmpty()) {
                    m.put(k, Set.copyOf(v));
                }
            }
        });
        return m;
    }

    /**
     * @param s a stanza the server routed to the component
     * @return the answer to write, or {@code null} for none
     */
    String handle(Stanza s) {
        return switch (s.name()) {
            case "iq" -> iq(s);
            case "presence" -> {
                presence(s);
                yield null;
            }
            default -> null; // messages and anything else: a relay has nothing to say to them
        };
    }

    private String iq(Stanza s) {
        String type = s.type();
        if (type.equals("result") || type.equals("error")) {
            return null; // never answer an answer (RFC 6120 8.2.3)
        }
        if (!type.equals("get") && !type.equals("set") || s.id().isEmpty() || s.children() != 1) {
            return error(s, "modify", "bad-request", "an IQ get or set needs an id and exactly one child", "bad_request");
        }
        String ns = s.childNamespace();
        String child = s.childName();
        if (type.equals("get") && child.equals("query") && ns.equals(NS_DISCO_INFO)) {
            count("disco_info");
            return result(s, "<query xmlns='" + NS_DISCO_INFO + "'>"
                    + "<identity category='proxy' type='relay' name='Jingle Nodes relay'/>"
                    + "<feature var='" + NS_DISCO_INFO + "'/><feature var='" + NS_DISCO_ITEMS + "'/>"
                    + "<feature var='" + NS_JN + "'/><feature var='" + NS_CHANNEL + "'/>"
                    + "<feature var='" + NS_PING + "'/></query>");
        }
        if (type.equals("get") && child.equals("ping") && ns.equals(NS_PING)) {
            count("ping");
            return result(s, "");
        }
        if (type.equals("get") && child.equals("query") && ns.equals(NS_DISCO_ITEMS)) {
            count("disco_items");
            // the component is a leaf: no items below it
            return result(s, "<query xmlns='" + NS_DISCO_ITEMS + "'/>");
        }
        if (type.equals("get") && child.equals("services") && ns.equals(NS_JN)) {
            count("services");
            return result(s, "<services xmlns='" + NS_JN + "'><relay policy='public' address='" + Xml.escape(domain)
                    + "' protocol='udp'/></services>");
        }
        if (child.equals("channel") && ns.equals(NS_CHANNEL)) {
            return channel(s);
        }
        return error(s, "cancel", "service-unavailable", null, "service_unavailable");
    }

    private String channel(Stanza s) {
        String protocol = s.childAttribute("protocol");
        if (protocol.isEmpty()) {
            protocol = "udp";
        }
        if (!protocol.equals("udp")) {
            return error(s, "cancel", "feature-not-implemented", "only protocol='udp' channels are relayed",
                    "feature_not_implemented");
        }
        BareJid user;
        try {
            user = BareJid.parse(bare(s.from()));
        } catch (IllegalArgumentException e) {
            return error(s, "modify", "bad-request", "the requester's address is not a JID", "bad_request");
        }
        RelayService r = relay.get();
        if (r == null) {
            return error(s, "wait", "service-unavailable", "the relay is not running", "service_unavailable");
        }
        RelayChannel c;
        try {
            c = r.allocate(ChannelRequest.of(user, "xmpp"));
        } catch (RelayDeniedException e) {
            return denied(s, e);
        } catch (IllegalStateException e) {
            return error(s, "wait", "service-unavailable", "the relay is not running", "service_unavailable");
        } catch (IllegalArgumentException e) {
            return error(s, "modify", "bad-request", e.getMessage(), "bad_request");
        }
        track(s.from(), c.id(), r);
        count("allocated");
        return result(s, "<channel xmlns='" + NS_CHANNEL + "' protocol='udp' host='" + Xml.escape(c.host())
                + "' localport='" + c.sideA().rtpPort() + "' remoteport='" + c.sideB().rtpPort() + "' id='"
                + Xml.escape(c.id()) + "' expire='" + c.expire() + "'" + (c.maxKbps() > 0 ? " maxkbps='" + c.maxKbps() + "'" : "")
                + "/>");
    }

    private String denied(Stanza s, RelayDeniedException e) {
        String text = (e.policy() == null ? "" : "policy " + e.policy() + ": ") + e.getMessage();
        return switch (e.reason()) {
            // a quota is a limit of resources, which frees as channels end: worth trying again later
            case POLICY -> "quota".equals(e.policy())
                    ? error(s, "wait", "resource-constraint", text, "resource_constraint")
                    : error(s, "auth", "forbidden", text, "forbidden");
            case CAPACITY, PORTS_EXHAUSTED, RESOURCES -> error(s, "wait", "resource-constraint", text, "resource_constraint");
            case DRAINING -> error(s, "cancel", "not-allowed", text, "not_allowed");
        };
    }

    private void track(String requester, String id, RelayService r) {
        Set<String> ids = byRequester.computeIfAbsent(requester, k -> new LinkedHashSet<>());
        synchronized (ids) {
            // forget what ended by itself (idle timeout, an operator) so that the set stays small
            ids.removeIf(known -> r.channel(known).isEmpty());
            ids.add(id);
        }
        if (allocations.incrementAndGet() % SWEEP_EVERY == 0) {
            // requesters that never come back nor go unavailable: their ended channels are forgotten too
            byRequester.forEach((k, v) -> {
                synchronized (v) {
                    v.removeIf(known -> r.channel(known).isEmpty());
                }
            });
            byRequester.values().removeIf(v -> {
                synchronized (v) {
                    return v.isEmpty();
                }
            });
        }
    }

    private void presence(Stanza s) {
        if (!s.type().equals("unavailable") || s.from().isEmpty()) {
            return;
        }
        String from = s.from();
        List<String> gone = new ArrayList<>();
        if (from.indexOf('/') < 0) {
            // the whole account: every resource's channels
            byRequester.keySet().removeIf(k -> {
                if (bare(k).equals(from)) {
                    Set<String> ids = byRequester.get(k);
                    synchronized (ids) {
                        gone.addAll(ids);
                    }
                    return true;
                }
                return false;
            });
        } else {
            Set<String> ids = byRequester.remove(from);
            if (ids != null) {
                synchronized (ids) {
                    gone.addAll(ids);
                }
            }
        }
        RelayService r = relay.get();
        if (r == null || gone.isEmpty()) {
            return;
        }
        for (String id : gone) {
            try {
                r.destroyAsync(id, DestroyReason.REQUESTED);
            } catch (RuntimeException e) {
                warn.accept("relay.xmpp: could not destroy channel " + id + " of " + from + ": " + e);
            }
        }
    }

    private void count(String result) {
        results.get(result).incrementAndGet();
    }

    private String result(Stanza s, String payload) {
        return "<iq type='result' id='" + Xml.escape(s.id()) + "'" + addressing(s) + ">" + payload + "</iq>";
    }

    private String error(Stanza s, String type, String condition, String text, String result) {
        count(result);
        return "<iq type='error' id='" + Xml.escape(s.id()) + "'" + addressing(s) + "><error type='" + type + "'><"
                + condition + " xmlns='" + NS_STANZAS + "'/>"
                + (text == null ? "" : "<text xmlns='" + NS_STANZAS + "'>" + Xml.escape(text) + "</text>")
                + "</error></iq>";
    }

    private String addressing(Stanza s) {
        String from = s.to().isEmpty() ? domain : s.to();
        return " from='" + Xml.escape(from) + "'" + (s.from().isEmpty() ? "" : " to='" + Xml.escape(s.from()) + "'");
    }

    static String bare(String jid) {
        int slash = jid.indexOf('/');
        return slash < 0 ? jid : jid.substring(0, slash);
    }

    /** For tests and the shell: the ids tracked for one requester. */
    Set<String> trackedFor(String requester) {
        Set<String> ids = byRequester.get(requester);
        if (ids == null) {
            return Collections.emptySet();
        }
        synchronized (ids) {
            return Set.copyOf(ids);
        }
    }
}
