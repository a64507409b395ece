package relay.shell;

/**
 * One bound {@code RelayPolicy}, as the shell shows it.
 *
 * @param serviceId its {@code service.id}
 * @param ranking its {@code service.ranking} (0 when absent)
 * @param name its {@code name()}
 * @param description its {@code describe()}: a summary of its configuration
 */
public record PolicyInfo(long serviceId, int ranking, String name, String description) {
}
