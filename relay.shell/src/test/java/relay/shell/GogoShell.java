package relay.shell;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.regex.Pattern;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.CommandSessionImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.gogo.shell.Console;
import org.apache.felix.gogo.shell.History;
import org.apache.felix.gogo.shell.Posix;
import org.apache.felix.gogo.shell.Procedural;

import relay.api.RelayService;
import relay.api.cluster.Cluster;

/**
 * A real Gogo shell outside a framework: the runtime's command processor and thread I/O, the
 * relay commands registered under the scope and functions of their component description,
 * the relay converter, and the console of the Felix Gogo shell reading typed lines.
 */
final class GogoShell implements AutoCloseable {

    /** What the console printed for some typed lines, with its prompts removed. */
    record Transcript(String out, String err) {
    }

    private static final String PROMPT = "g! ";
    /**
     * Outside a framework the core logs to standard error, which Gogo captures on the thread
     * that runs a command; in a framework those lines go to the Log Service. Not shell output.
     */
    private static final Pattern CORE_LOG_LINE = Pattern.compile("(?m)^(INFO|WARN|ERROR) relay\\.core: .*\n");

    private final ThreadIOImpl threadIO = new ThreadIOImpl();
    private final CommandProcessorImpl processor;
    private final RelayCommands commands;

    GogoShell(RelayService relay) {
        this(relay, null, Clock.systemUTC());
    }

    /** A shell whose commands see {@code cluster} (null: the node runs alone) and print ages on {@code clock}. */
    GogoShell(RelayService relay, Cluster cluster, Clock clock) {
        threadIO.start();
        processor = new CommandProcessorImpl(threadIO);
        processor.addConverter(new RelayConverter(clock));
        commands = new RelayCommands(relay, cluster, clock);
        ShellComponent component = ShellComponent.read();
        String scope = component.property("osgi.command.scope").get(0);
        for (String function : component.property("osgi.command.function")) {
            processor.addCommand(scope, commands, function);
        }
        // The gogo.shell builtins that scripts combine with the relay commands.
        Posix posix = new Posix();
        processor.addCommand("gogo", posix, "grep");
        processor.addCommand("gogo", posix, "echo");
        processor.addCommand("gogo", new Procedural(), "each");
    }

    /** The command object, for binding policies as the component runtime would. */
    RelayCommands commands() {
        return commands;
    }

    /** Types {@code lines} into one console session, as an operator would, then ends it. */
    Transcript run(String... lines) {
        ByteArrayInputStream in = new ByteArrayInputStream((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (CommandSessionImpl session = processor.createSession(in, out, err)) {
            new Console(session, new History()).run();
        }
        return new Transcript(out.toString(StandardCharsets.UTF_8).replace(PROMPT, ""),
                CORE_LOG_LINE.matcher(err.toString(StandardCharsets.UTF_8)).replaceAll(""));
    }

    @Override
    public void close() {
        processor.stop();
        threadIO.stop();
    }
}
