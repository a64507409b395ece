package relay.shell;

import java.util.AbstractList;
import java.util.Comparator;
import java.util.List;

/**
 * What {@code relay:policies} returns: the bound policies in the order the relay asks them,
 * highest {@code service.ranking} first, then oldest service first.
 */
public final class PolicyList extends AbstractList<PolicyInfo> {

    private static final Comparator<PolicyInfo> EVALUATION_ORDER = Comparator.comparingInt(PolicyInfo::ranking)
            .reversed().thenComparingLong(PolicyInfo::serviceId);

    private final List<PolicyInfo> policies;

    /** @param policies in any order */
    public PolicyList(List<PolicyInfo> policies) {
        this.policies = policies.stream().sorted(EVALUATION_ORDER).toList();
    }

    @Override
    public PolicyInfo get(int index) {
        return policies.get(index);
    }

    @Override
    public int size() {
        return policies.size();
    }
}
