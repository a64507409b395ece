package relay.karaf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.sshd.client.channel.ChannelShell;
import org.apache.sshd.client.session.ClientSession;

/**
 * Karaf's interactive console over SSH, as an operator types into it: one session, a terminal
 * of type {@code dumb} (no colours, no cursor movement), a command and Enter, the output up
 * to the next prompt. Unlike a one-shot exec, the console prints what a command returns,
 * through the registered Gogo converters, and what it writes to its error stream.
 */
final class KarafConsole implements AutoCloseable {

    private static final String PROMPT = "karaf@root()> ";

    private final ClientSession session;
    private final ChannelShell channel;
    private final Transcript transcript = new Transcript();
    private OutputStream keyboard;

    private KarafConsole(ClientSession session, ChannelShell channel) {
        this.session = session;
        this.channel = channel;
    }

    /** Opens the console on a logged-in session, which it then owns, and waits for the first prompt. */
    static KarafConsole open(ClientSession session, Duration timeout) throws IOException {
        ChannelShell channel = session.createShellChannel();
        channel.setPtyType("dumb");
        channel.setPtyColumns(400); // wide tables stay on one line
        channel.setPtyLines(200);
        KarafConsole console = new KarafConsole(session, channel);
        channel.setOut(console.transcript);
        channel.setErr(console.transcript);
        channel.open().verify(timeout);
        console.keyboard = channel.getInvertedIn(); // there once the channel is open
        console.transcript.awaitPrompt(0, timeout);
        return console;
    }

    /** Types a command and returns what it printed, without the echo of the command line. */
    String run(String command, Duration timeout) throws IOException {
        int mark = transcript.size();
        keyboard.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
        String raw = transcript.awaitPrompt(mark, timeout);
        List<String> lines = new ArrayList<>();
        for (String line : raw.replace("\r", "").split("\n", -1)) {
            boolean echo = line.strip().equals(command) || line.equals(PROMPT + command);
            if (!(echo && lines.isEmpty())) {
                lines.add(line);
            }
        }
        return String.join("\n", lines).strip();
    }

    String run(String command) throws IOException {
        return run(command, KarafShell.COMMAND_TIMEOUT);
    }

    @Override
    public void close() {
        try {
            channel.close(true);
        } finally {
            session.close(true);
        }
    }

    /** Everything the console printed, readable while it grows. */
    private static final class Transcript extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
            notifyAll();
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
            notifyAll();
        }

        synchronized int size() {
            return bytes.size();
        }

        /**
         * Waits until the console, after byte {@code from}, has printed a line and then sits at
         * the prompt, and returns what came before that prompt.
         */
        synchronized String awaitPrompt(int from, Duration timeout) throws IOException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                String text = new String(bytes.toByteArray(), from, bytes.size() - from, StandardCharsets.UTF_8);
                if (text.endsWith(PROMPT) && text.contains("\n")) {
                    return text.substring(0, text.length() - PROMPT.length());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException("No prompt within " + timeout + "; the console printed:\n" + text);
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("Interrupted while waiting for the prompt", e);
                }
            }
        }
    }
}
