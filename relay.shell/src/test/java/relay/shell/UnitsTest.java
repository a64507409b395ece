package relay.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import relay.api.DestroyReason;
import relay.api.DropReason;
import relay.api.RelayDeniedException;

class UnitsTest {

    @Test
    void bytesUseDecimalUnitsWithThreeSignificantDigits() {
        assertEquals("0 B", Units.bytes(0));
        assertEquals("999 B", Units.bytes(999));
        assertEquals("1.0 kB", Units.bytes(1000));
        assertEquals("1.5 kB", Units.bytes(1500));
        assertEquals("1.2 MB", Units.bytes(1_234_567));
        assertEquals("99.9 MB", Units.bytes(99_940_000));
        assertEquals("123 GB", Units.bytes(123_456_789_012L));
        assertEquals("9.2 EB", Units.bytes(Long.MAX_VALUE));
    }

    @Test
    void bytesNeverShowAThousandOfAUnit() {
        assertEquals("100 kB", Units.bytes(99_960));
        assertEquals("999 kB", Units.bytes(999_499));
        assertEquals("1.0 MB", Units.bytes(999_500));
        assertEquals("1.0 MB", Units.bytes(999_999));
    }

    @Test
    void countsHaveThousandsSeparatorsAndNounsAgree() {
        assertEquals("0", Units.count(0));
        assertEquals("12,345", Units.count(12_345));
        assertEquals("-1,000", Units.count(-1000));
        assertEquals("1 channel", Units.count(1, "channel", "channels"));
        assertEquals("0 channels", Units.count(0, "channel", "channels"));
        assertEquals("1,001 channels", Units.count(1001, "channel", "channels"));
    }

    @Test
    void durationsShowTheTwoLargestUnitsPadded() {
        assertEquals("0s", Units.duration(Duration.ofMillis(999)));
        assertEquals("59s", Units.duration(Duration.ofSeconds(59)));
        assertEquals("1m 00s", Units.duration(Duration.ofSeconds(60)));
        assertEquals("3m 05s", Units.duration(Duration.ofSeconds(185)));
        assertEquals("59m 59s", Units.duration(Duration.ofSeconds(3599)));
        assertEquals("1h 00m", Units.duration(Duration.ofHours(1)));
        assertEquals("2h 03m", Units.duration(Duration.ofMinutes(123).plusSeconds(59)));
        assertEquals("1d 07h", Units.duration(Duration.ofHours(31)));
        assertEquals("400d 00h", Units.duration(Duration.ofDays(400)));
    }

    @Test
    void aNegativeDurationFromClockSkewReadsZero() {
        assertEquals("0s", Units.duration(Duration.ofSeconds(-5)));
        Instant now = Instant.parse("2025-11-22T10:00:00Z");
        assertEquals("0s", Units.since(now.plusSeconds(3), now));
        assertEquals("1m 01s", Units.since(now.minusSeconds(61), now));
    }

    @Test
    void instantsAreWholeSecondsInUtc() {
        assertEquals("2025-11-22 10:00:05 UTC", Units.instant(Instant.parse("2025-11-22T10:00:05.987Z")));
    }

    @Test
    void addressesBracketIpv6AndShowAMissingPeerAsADash() throws Exception {
        assertEquals("-", Units.address(null));
        assertEquals("127.0.0.1:40000", Units.address(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 40000)));
        assertEquals("[::1]:5004", Units.address(new InetSocketAddress(InetAddress.getByName("::1"), 5004)));
        assertEquals("[::1]:5004", Units.hostPort("::1", 5004));
        assertEquals("[::1]:5004", Units.hostPort("[::1]", 5004));
        assertEquals("relay.example.com:5004", Units.hostPort("relay.example.com", 5004));
    }

    @Test
    void reasonsReadAsWords() {
        assertEquals("ports exhausted", Units.reason(RelayDeniedException.Reason.PORTS_EXHAUSTED));
        assertEquals("requested", Units.reason(DestroyReason.REQUESTED));
    }

    @Test
    void countsByReasonListEveryReasonInOrderZerosIncluded() {
        Map<DestroyReason, Long> counts = new EnumMap<>(DestroyReason.class);
        counts.put(DestroyReason.EXPIRED, 5L);
        counts.put(DestroyReason.REQUESTED, 1234L);
        assertEquals("requested 1,234, expired 5, revoked 0, shutdown 0, fault 0", Units.byReason(counts, DestroyReason.class));
        assertEquals(1239, Units.total(counts));
    }

    @Test
    void nonZeroCountsByReasonListOnlyWhatHappened() {
        assertEquals("-", Units.nonZeroByReason(Map.of(), DropReason.class));
        assertEquals("not latched 3, send error 1",
                Units.nonZeroByReason(Map.of(DropReason.SEND_ERROR, 1L, DropReason.NOT_LATCHED, 3L, DropReason.LOOP, 0L),
                        DropReason.class));
    }

    @Test
    void foreignTextIsMadeOneShortLine() {
        assertEquals("two lines", Units.oneLine("two\nlines", 80));
        assertEquals("tab and bell", Units.oneLine("tab\tand\u0007bell", 80).replace("  ", " "));
        assertEquals("abcde...", Units.oneLine("abcdefgh", 5));
        assertEquals("abcde", Units.oneLine("abcde", 5));
    }
}
