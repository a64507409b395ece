package relay.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void columnsAreAsWideAsTheirWidestCellAndNumbersAlignRight() {
        Table t = Table.of("NAME", ">COUNT", "NOTE")
                .row("alice", 7, "first")
                .row("bartholomew", 12345, "second");
        assertEquals("""
                NAME         COUNT  NOTE
                alice            7  first
                bartholomew  12345  second
                """, t.toString());
    }

    @Test
    void noLineEndsInBlanks() {
        Table t = Table.of("A", "B").row("long value", "").row("x", "y");
        assertEquals("""
                A           B
                long value
                x           y
                """, t.toString());
    }

    @Test
    void aKeyValueTableHasNoHeaderLine() {
        Table t = Table.keyValue().row("host", "127.0.0.1").row("localport", 25000);
        assertEquals("""
                host       127.0.0.1
                localport  25000
                """, t.toString());
        assertEquals(2, t.size());
    }

    @Test
    void anEmptyTableIsItsHeader() {
        assertEquals("ID  OWNER\n", Table.of("ID", "OWNER").toString());
        assertEquals("", Table.keyValue().toString());
    }

    @Test
    void nullCellsPrintAsNull() {
        assertEquals("A     B\nnull  1\n", Table.of("A", "B").row(null, 1).toString());
    }

    @Test
    void widthCountsCodePointsNotCharsSoSupplementaryCharactersKeepColumnsAligned() {
        Table t = Table.of("OWNER", "STATE").row("\uD83D\uDE00@example.com", "active").row("bo@example.com", "waiting");
        assertEquals("""
                OWNER           STATE
                \uD83D\uDE00@example.com   active
                bo@example.com  waiting
                """, t.toString());
    }

    @Test
    void aRowWithTheWrongNumberOfCellsIsRefused() {
        Table t = Table.of("A", "B");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.row("only one"));
        assertEquals("a row of this table has 2 cells, not 1", e.getMessage());
        assertEquals(0, t.size());
    }
}
