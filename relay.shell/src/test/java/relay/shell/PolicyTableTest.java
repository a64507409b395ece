package relay.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class PolicyTableTest {

    @Test
    void policiesInEvaluationOrderThenACount() {
        PolicyList list = new PolicyList(List.of(
                new PolicyInfo(43, 0, "quota", "4 channels per user, no rate limit"),
                new PolicyInfo(57, -5, "audit", "audit"),
                new PolicyInfo(42, 100, "whitelist", "domains example.com, example.org"),
                new PolicyInfo(41, 0, "quota", "2 channels per user")));
        assertEquals("""
                RANKING  NAME       SERVICE  CONFIGURATION
                    100  whitelist       42  domains example.com, example.org
                      0  quota           41  2 channels per user
                      0  quota           43  4 channels per user, no rate limit
                     -5  audit           57  audit
                4 policies, asked in this order
                """, PolicyTable.render(list));
    }

    @Test
    void noPoliciesSaysWhatThatMeans() {
        assertEquals("No policies: every well-formed request is allowed, within capacity and drain mode.\n",
                PolicyTable.render(new PolicyList(List.of())));
    }

    @Test
    void onePolicyIsSingular() {
        String text = PolicyTable.render(new PolicyList(List.of(new PolicyInfo(1, 0, "whitelist", "domains a.example"))));
        assertEquals("1 policy, asked in this order", text.lines().reduce((a, b) -> b).orElseThrow());
    }
}
