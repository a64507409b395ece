package relay.signal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * A node's tag prefixes its message ids; a receipt for another node's message is recognised by
 * the tag before the id's first '-', so a tag must never hold one (a base64url tag began with '-'
 * once in 64 nodes, and receipts across nodes then went unanswered).
 */
class NodeTagTest {

    @Test
    void aNodeTagIsLettersAndDigitsOfOneLength() {
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            String tag = Hub.nodeTag(random);
            assertTrue(tag.matches("[0-9a-z]{12,13}"), tag);
        }
    }
}
