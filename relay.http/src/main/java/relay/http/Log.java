package relay.http;

import org.osgi.service.log.Logger;

/**
 * This bundle's log: the OSGi Log Service when DS injected a logger, standard error otherwise
 * (tests outside a framework).
 */
final class Log {

    private volatile Logger logger;

    void use(Logger logger) {
        this.logger = logger;
    }

    void info(String message) {
        Logger l = logger;
        if (l != null) {
            l.info(message);
        } else {
            System.err.println("INFO relay.http: " + message);
        }
    }

    void warn(String message) {
        Logger l = logger;
        if (l != null) {
            l.warn(message);
        } else {
            System.err.println("WARN relay.http: " + message);
        }
    }

    void error(String message, Throwable t) {
        Logger l = logger;
        if (l != null) {
            l.error(message, t);
        } else {
            System.err.println("ERROR relay.http: " + message + (t == null ? "" : ": " + t));
        }
    }
}
