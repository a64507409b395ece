package relay.testing;

import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.osgi.service.log.LoggerConsumer;

/**
 * Collects what a component logs, for assertions, and keeps it off the console while open: what
 * it logs through its fallback logger (the platform logger of that name, backed by
 * java.util.logging when no OSGi Log Service is bound), and what it logs through the OSGi
 * {@link org.osgi.service.log.Logger} that {@link #logger()} hands it.
 */
public final class CapturedLog extends Handler implements AutoCloseable {

    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    /** @param name the logger's name, which the component's fallback logger has too */
    public CapturedLog(String name) {
        logger = Logger.getLogger(name);
        logger.addHandler(this);
        logger.setUseParentHandlers(false);
    }

    /**
     * @param level a level
     * @return the messages logged at exactly that level, in order
     */
    public List<String> messages(Level level) {
        return records.stream().filter(r -> r.getLevel().equals(level)).map(LogRecord::getMessage).toList();
    }

    /**
     * An OSGi Log Service logger of this log's name, as DS injects one, that writes into this
     * log: {@code error} at {@link Level#SEVERE}, {@code warn} at {@link Level#WARNING},
     * {@code info} and {@code audit} at {@link Level#INFO}, {@code debug} at {@link Level#FINE},
     * {@code trace} at {@link Level#FINEST}. {@code {}} placeholders take the arguments in turn;
     * a last argument that is a throwable is logged as the record's throwable.
     *
     * @return the logger
     */
    public org.osgi.service.log.Logger logger() {
        Class<?> type = org.osgi.service.log.Logger.class;
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
            String name = method.getName();
            switch (name) {
                case "getName":
                    return logger.getName();
                case "toString":
                    return "Logger " + logger.getName();
                case "hashCode":
                    return System.identityHashCode(self);
                case "equals":
                    return self == args[0];
                default:
                    break;
            }
            if (name.startsWith("is") && name.endsWith("Enabled")) {
                return true;
            }
            if (args[0] instanceof LoggerConsumer<?> consumer) {
                consumer.accept((org.osgi.service.log.Logger) self);
            } else {
                log(level(name), (String) args[0], Arrays.copyOfRange(args, 1, args.length));
            }
            return null;
        });
        return (org.osgi.service.log.Logger) proxy;
    }

    private static Level level(String method) {
        return switch (method) {
            case "error" -> Level.SEVERE;
            case "warn" -> Level.WARNING;
            case "debug" -> Level.FINE;
            case "trace" -> Level.FINEST;
            default -> Level.INFO;
        };
    }

    private void log(Level level, String format, Object[] args) {
        Object[] arguments = args.length == 1 && args[0] instanceof Object[] varargs ? varargs : args;
        Throwable thrown = arguments.length > 0 && arguments[arguments.length - 1] instanceof Throwable t ? t : null;
        StringBuilder message = new StringBuilder();
        int next = 0;
        int from = 0;
        for (int at = format.indexOf("{}"); at >= 0 && next < arguments.length; at = format.indexOf("{}", from)) {
            message.append(format, from, at).append(arguments[next++]);
            from = at + 2;
        }
        message.append(format.substring(from));
        logger.log(level, message.toString(), thrown);
    }

    @Override
    public void publish(LogRecord logRecord) {
        records.add(logRecord);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setUseParentHandlers(true);
    }
}
