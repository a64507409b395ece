package relay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void columnsAreRightAligned() {
        String t = new Table("rate", "loss %").row(50000, "0.000").row(7, Double.NaN).toString();
        assertEquals("   rate  loss %\n  50000   0.000\n      7       -\n", t);
    }

    @Test
    void numbersKeepThreeSignificantPlaces() {
        assertEquals("9.23", Table.format(9.2345));
        assertEquals("12.3", Table.format(12.34));
        assertEquals("111", Table.format(111.4));
        assertEquals("-", Table.format(Double.POSITIVE_INFINITY));
    }

    @Test
    void aMissingValueIsADash() {
        assertEquals("-", Table.format(null));
    }

    @Test
    void aRowMustFitTheHeader() {
        assertThrows(IllegalArgumentException.class, () -> new Table("a", "b").row(1));
    }
}
