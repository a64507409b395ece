package relay.shell;

/** {@code relay:policies}: the bound policies in evaluation order, then a count. */
final class PolicyTable {

    private PolicyTable() {
    }

    static String render(PolicyList policies) {
        if (policies.isEmpty()) {
            return "No policies: every well-formed request is allowed, within capacity and drain mode.\n";
        }
        Table table = Table.of(">RANKING", "NAME", ">SERVICE", "CONFIGURATION");
        for (PolicyInfo p : policies) {
            table.row(p.ranking(), p.name(), p.serviceId(), p.description());
        }
        return table + Units.count(policies.size(), "policy", "policies") + ", asked in this order\n";
    }
}
