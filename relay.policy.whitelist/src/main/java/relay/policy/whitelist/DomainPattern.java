package relay.policy.whitelist;

import java.util.regex.Pattern;

import relay.api.BareJid;

/**
 * One whitelist entry: an exact domain ({@code example.com}), or a wildcard
 * ({@code *.example.com}) that matches every subdomain at any depth but not the domain itself.
 * The domain is kept in the form {@link BareJid#domain()} gives (IDNA ASCII, lower case), so
 * entries and requesters are compared in one spelling.
 *
 * @param domain the normalised domain
 * @param wildcard whether only subdomains of {@code domain} match
 */
record DomainPattern(String domain, boolean wildcard) {

    private static final String WILDCARD_PREFIX = "*.";
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    private static final Pattern NUMERIC_TOP_LABEL = Pattern.compile("(.*\\.)?[0-9]+");

    /**
     * @param entry a configured entry, for example {@code *.Bücher.example}
     * @return the entry, normalised
     * @throws IllegalArgumentException naming the entry, if it is not a domain or a wildcard
     */
    static DomainPattern parse(String entry) {
        String text = entry.strip();
        boolean wildcard = text.startsWith(WILDCARD_PREFIX);
        String base = wildcard ? text.substring(WILDCARD_PREFIX.length()) : text;
        // BareJid would quietly read these as a user or a resource; an entry names a domain only.
        if (base.isEmpty() || base.contains("@") || base.contains("/") || base.contains("*")) {
            throw notADomain(entry, "only a domain or *.domain is allowed");
        }
        String domain;
        try {
            domain = BareJid.parse(base).domain();
        } catch (IllegalArgumentException e) {
            throw notADomain(entry, e.getMessage());
        }
        boolean ipLiteral = domain.startsWith("[") || IPV4.matcher(domain).matches();
        if (!ipLiteral && NUMERIC_TOP_LABEL.matcher(domain).matches()) {
            // 42 or 1.2.3: a number, or an IPv4 address gone wrong, never a domain name
            throw notADomain(entry, "a top-level domain is never all digits");
        }
        if (wildcard && ipLiteral) {
            throw notADomain(entry, "an IP literal has no subdomains");
        }
        return new DomainPattern(domain, wildcard);
    }

    /**
     * @param requester a normalised domain, as {@link BareJid#domain()} gives it
     * @return whether this entry admits it
     */
    boolean matches(String requester) {
        if (!wildcard) {
            return requester.equals(domain);
        }
        int dot = requester.length() - domain.length() - 1;
        return dot > 0 && requester.charAt(dot) == '.' && requester.endsWith(domain);
    }

    /** @return the entry in its normalised spelling */
    @Override
    public String toString() {
        return wildcard ? WILDCARD_PREFIX + domain : domain;
    }

    private static IllegalArgumentException notADomain(String entry, String why) {
        return new IllegalArgumentException("'" + entry + "' is not a domain (" + why + ")");
    }
}
