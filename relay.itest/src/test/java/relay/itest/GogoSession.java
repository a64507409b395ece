package relay.itest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.osgi.framework.BundleContext;

/**
 * A session of the framework's Gogo command processor (the Felix Gogo runtime bundle), used as
 * the Gogo console uses it: a line is executed, whatever the command printed is shown, then its
 * result as the converters format it.
 */
final class GogoSession implements AutoCloseable {

    /** What the console would show for one command line. */
    record Transcript(Object result, String out, String err) {
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final CommandSession session;

    GogoSession(BundleContext context) {
        CommandProcessor processor = Services.await(context, CommandProcessor.class);
        session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, err);
    }

    /** Runs one command line; a command that throws fails the test with the exception. */
    Transcript run(String line) {
        out.reset();
        err.reset();
        Object result;
        try {
            result = session.execute(line);
        } catch (Exception e) {
            throw new AssertionError("'" + line + "' threw " + e, e);
        }
        String printed = text(out);
        if (result != null) {
            printed += session.format(result, Converter.INSPECT) + "\n";
        }
        return new Transcript(result, printed, text(err));
    }

    private static String text(ByteArrayOutputStream stream) {
        return stream.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        session.close();
    }
}
