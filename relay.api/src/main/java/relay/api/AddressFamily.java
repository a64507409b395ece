package relay.api;

/** The IP version a side of a channel speaks: the relay can bridge an IPv4 party to an IPv6 one. */
public enum AddressFamily {
    /** IPv4: the side's ports are bound on {@code bind.address} (or its IPv4 half). */
    IPV4,
    /** IPv6: the side's ports are bound on {@code bind.address}, or {@code bind.address6} when that is IPv4. */
    IPV6
}
