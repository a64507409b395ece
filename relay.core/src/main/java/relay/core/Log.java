package relay.core;

import org.osgi.service.log.Logger;

/**
 * The relay's log: the OSGi Log Service when DS injected one, standard error otherwise (tests
 * outside a framework, or the moment before the log service arrives).
 */
final class Log {

    private final java.util.function.Supplier<Logger> logger;

    Log(java.util.function.Supplier<Logger> logger) {
        this.logger = logger;
    }

    void info(String message) {
        Logger l = logger.get();
        if (l != null) {
            l.info(message);
        } else {
            System.err.println("INFO relay.core: " + message);
        }
    }

    void warn(String message) {
        Logger l = logger.get();
        if (l != null) {
            l.warn(message);
        } else {
            System.err.println("WARN relay.core: " + message);
        }
    }

    void error(String message, Throwable t) {
        Logger l = logger.get();
        if (l != null) {
            l.error(message, t);
        } else {
            System.err.println("ERROR relay.core: " + message + (t == null ? "" : ": " + t));
        }
    }
}
