package relay.itest;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.BundleContext;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

import relay.testing.Poll;

/** What the bundles log through the OSGi Log Service from now on, read back as an operator's log. */
final class LogEntries implements LogListener, AutoCloseable {

    private final LogReaderService reader;
    private final List<LogEntry> entries = new CopyOnWriteArrayList<>();

    LogEntries(BundleContext context) {
        reader = Services.await(context, LogReaderService.class);
        reader.addLogListener(this);
    }

    @Override
    public void logged(LogEntry entry) {
        entries.add(entry);
    }

    /**
     * @return the first entry at {@code level} from the bundle {@code symbolicName} whose message holds
     *         every one of {@code words}, waiting for it up to the poll deadline
     */
    LogEntry await(String symbolicName, LogLevel level, String... words) {
        return Poll.until(() -> level + " log entry of " + symbolicName + " with " + List.of(words) + " (logged since: "
                + entries.stream().filter(e -> e.getLogLevel() != LogLevel.INFO
                        || symbolicName.equals(e.getBundle().getSymbolicName()))
                        .map(e -> e.getBundle().getSymbolicName() + " " + e.getLogLevel() + " " + e.getMessage()).toList()
                + ")", () -> entries.stream()
                        .filter(e -> e.getLogLevel() == level && symbolicName.equals(e.getBundle().getSymbolicName())
                                && List.of(words).stream().allMatch(e.getMessage()::contains))
                        .findFirst().orElse(null));
    }

    @Override
    public void close() {
        reader.removeLogListener(this);
    }
}
