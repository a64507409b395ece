package relay.core;

import org.osgi.service.log.Logger;

/**
 * The relay's log: the OSGi Log Service when DS injected one, standard error otherwise (tests
 * outside a framework, or the moment before the log service arrives).
 */
final class Log {

    private enum Level { INFO, WARN, ERROR }

    private final java.util.function.Supplier<Logger> logger;

    Log(java.util.function.Supplier<Logger> logger) {
        this.logger = logger;
    }

    void info(String message) {
        write(Level.INFO, message, null);
    }

    void warn(String message) {
        write(Level.WARN, message, null);
    }

    void error(String message, Throwable t) {
        write(Level.ERROR, message, t);
    }

    private void write(Level level, String message, Throwable t) {
        Logger l = logger.get();
        if (l == null) {
            System.err.println(level + " relay.core: " + message + (t == null ? "" : ": " + t));
            return;
        }
        switch (level) {
            case INFO -> l.info(message);
            case WARN -> l.warn(message, t);
            case ERROR -> l.error(message, t);
        }
    }
}
