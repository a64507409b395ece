package relay.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

class AddressPrefixTest {

    private static boolean in(String prefix, String address) throws Exception {
        return AddressPrefix.parse(prefix).matches(InetAddress.getByName(address));
    }

    @Test
    void addressesAndPrefixesOfBothFamiliesMatchWhatTheyHold() throws Exception {
        assertTrue(in("192.0.2.7", "192.0.2.7"));
        assertFalse(in("192.0.2.7", "192.0.2.8"));
        assertTrue(in("10.0.0.0/8", "10.255.1.2"));
        assertFalse(in("10.0.0.0/8", "11.0.0.1"));
        assertTrue(in("192.0.2.128/25", "192.0.2.200"));
        assertFalse(in("192.0.2.128/25", "192.0.2.127"));
        assertTrue(in("0.0.0.0/0", "203.0.113.9"));
        assertTrue(in("2001:db8::/32", "2001:db8:1::5"));
        assertFalse(in("2001:db8::/32", "2001:db9::5"));
        assertTrue(in("::1", "::1"));
        assertFalse(in("::/0", "127.0.0.1"), "an IPv4 address is in no IPv6 prefix");
        assertFalse(in("0.0.0.0/0", "::1"));
    }

    @Test
    void onlyLiteralsAreRead() {
        for (String bad : new String[] {"localhost", "10.1", "300.1.1.1", "1.2.3.4/", "1.2.3.4/-1", "fe80::1%eth0", "", "/8"}) {
            assertThrows(IllegalArgumentException.class, () -> AddressPrefix.parse(bad), bad);
        }
    }

    @Test
    void writtenAsConfigured() {
        assertEquals("10.0.0.0/8", AddressPrefix.parse(" 10.0.0.0/8 ").toString());
        assertEquals("2001:db8::/32", AddressPrefix.parse("2001:0db8:0:0::/32").toString());
        assertEquals("::1", AddressPrefix.parse("::1").toString());
    }
}
