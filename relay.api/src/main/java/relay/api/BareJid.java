package relay.api;

import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A bare XMPP address ({@code localpart@domainpart}, no resource), normalised so that two
 * spellings of one user compare equal.
 *
 * <p>Parsing follows RFC 7622 as far as a relay needs it: a resource ({@code /...}) is
 * stripped; the localpart is case-folded and may not contain spaces, control characters or
 * any of {@code " & ' / : < > @}; the domainpart is IDNA-normalised to its lower-case ASCII
 * form (so {@code B\u00FCcher.example} and {@code xn--bcher-kva.example} are one domain), or is
 * an IPv4 or bracketed IPv6 literal; a trailing dot is dropped; each part is at most 1023
 * bytes of UTF-8. A domain-only address ({@code example.com}, a server or component) is a
 * valid bare JID with an empty {@link #local()}.
 *
 * <p>Instances are immutable; {@link #toString()} gives the normalised form, which
 * {@link #parse(String)} maps to an equal instance.
 */
public final class BareJid implements Comparable<BareJid> {

    private static final int MAX_PART_BYTES = 1023;
    private static final String LOCAL_FORBIDDEN = "\"&'/:<>@";

    /** {@code local@domain}, or {@code domain}: one string, the parts cut from it when asked for. */
    private final String text;
    /** Where the '@' is in {@link #text}; -1 for a domain-only address. */
    private final int at;

    private BareJid(String local, String domain) {
        this.text = local.isEmpty() ? domain : local + "@" + domain;
        this.at = local.isEmpty() ? -1 : local.length();
    }

    /**
     * Parses and normalises an address; a resource part is dropped.
     *
     * @param jid the address, for example {@code Alice@Example.COM/phone}
     * @return the normalised bare JID, for example {@code alice@example.com}
     * @throws IllegalArgumentException with a message that says what is wrong, if the text is
     *         not a JID
     */
    public static BareJid parse(String jid) {
        if (jid == null) {
            throw new IllegalArgumentException("JID is missing");
        }
        String bare = jid;
        int slash = bare.indexOf('/');
        if (slash >= 0) {
            if (slash == bare.length() - 1) {
                throw invalid(jid, "empty resource after '/'");
            }
            String resource = bare.substring(slash + 1);
            checkLength(jid, "resource", resource);
            if (resource.chars().anyMatch(Character::isISOControl)) {
                throw invalid(jid, "control character in the resource");
            }
            bare = bare.substring(0, slash);
        }
        int at = bare.indexOf('@');
        String localPart = at < 0 ? "" : bare.substring(0, at);
        String domainPart = at < 0 ? bare : bare.substring(at + 1);
        if (at == 0) {
            throw invalid(jid, "empty localpart before '@'");
        }
        return new BareJid(normaliseLocal(jid, localPart), normaliseDomain(jid, domainPart));
    }

    /**
     * Whether {@code text} is a JID that {@link #parse(String)} accepts.
     *
     * @param text any text, or {@code null}
     * @return true if it parses
     */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** @return the case-folded localpart, empty for a domain-only address */
    public String local() {
        return at < 0 ? "" : text.substring(0, at);
    }

    /** @return the domain in lower-case ASCII (IDNA A-label) form, or an IP literal */
    public String domain() {
        return text.substring(at + 1);
    }

    /** @return the domain in Unicode form, for display */
    public String domainUnicode() {
        String domain = domain();
        return domain.startsWith("[") ? domain : IDN.toUnicode(domain);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BareJid other && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public int compareTo(BareJid o) {
        return text.compareTo(o.text);
    }

    /** @return {@code local@domain}, or {@code domain} for a domain-only address */
    @Override
    public String toString() {
        return text;
    }

    private static String normaliseLocal(String jid, String localPart) {
        if (localPart.isEmpty()) {
            return "";
        }
        checkLength(jid, "localpart", localPart);
        for (int i = 0; i < localPart.length(); ) {
            int cp = localPart.codePointAt(i);
            if (LOCAL_FORBIDDEN.indexOf(cp) >= 0) {
                throw invalid(jid, "character '" + new String(Character.toChars(cp)) + "' is not allowed in the localpart");
            }
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp) || Character.isISOControl(cp)
                    || Character.getType(cp) == Character.FORMAT || Character.getType(cp) == Character.UNASSIGNED
                    || Character.getType(cp) == Character.PRIVATE_USE || Character.getType(cp) == Character.SURROGATE) {
                throw invalid(jid, String.format("character U+%04X is not allowed in the localpart", cp));
            }
            i += Character.charCount(cp);
        }
        return java.text.Normalizer.normalize(localPart, java.text.Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    }

    private static String normaliseDomain(String jid, String domainPart) {
        String d = domainPart;
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        if (d.isEmpty()) {
            throw invalid(jid, "empty domainpart");
        }
        checkLength(jid, "domainpart", d);
        if (d.startsWith("[")) {
            return ipv6Literal(jid, d);
        }
        String ascii;
        try {
            ascii = IDN.toASCII(d, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw invalid(jid, "domainpart '" + d + "' is not a valid domain name (" + e.getMessage() + ")");
        }
        if (ascii.isEmpty() || ascii.length() > 253) {
            throw invalid(jid, "domainpart '" + d + "' is not a valid domain name");
        }
        for (String label : ascii.split("\\.", -1)) {
            if (label.isEmpty()) {
                throw invalid(jid, "domainpart '" + d + "' has an empty label");
            }
        }
        return ascii;
    }

    private static String ipv6Literal(String jid, String d) {
        if (!d.endsWith("]") || d.length() < 4) {
            throw invalid(jid, "domainpart '" + d + "' is not a valid IPv6 literal");
        }
        String inner = d.substring(1, d.length() - 1);
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                throw invalid(jid, "domainpart '" + d + "' is not a valid IPv6 literal");
            }
        }
        if (inner.indexOf(':') < 0) {
            throw invalid(jid, "domainpart '" + d + "' is not a valid IPv6 literal");
        }
        return "[" + inner.toLowerCase(Locale.ROOT) + "]";
    }

    private static void checkLength(String jid, String part, String value) {
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_PART_BYTES) {
            throw invalid(jid, part + " is longer than " + MAX_PART_BYTES + " bytes");
        }
    }

    private static IllegalArgumentException invalid(String jid, String why) {
        String shown = jid.length() > 80 ? jid.substring(0, 77) + "..." : jid;
        return new IllegalArgumentException("Invalid JID '" + shown + "': " + why);
    }
}
