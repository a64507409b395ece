package relay.karaf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;

/**
 * Karaf's shell over SSH for one-shot commands, as {@code ssh karaf@host 'command'} runs them:
 * one login per command (Karaf ends the SSH session when an exec command ends), its output
 * and its exit status. {@link #console()} opens the interactive console instead.
 */
final class KarafShell implements AutoCloseable {

    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

    /** What a command printed and how it ended. */
    record Result(String command, Integer status, String out, String err) {
        boolean ok() {
            return status != null && status == 0;
        }

        @Override
        public String toString() {
            return "karaf@root()> " + command + "\n[exit " + status + "]\n" + out + (err.isEmpty() ? "" : "\n[stderr]\n" + err);
        }
    }

    private static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(15);

    private final SshClient client;
    private final int port;
    private final String user;
    private final String password;

    KarafShell(int port, String user, String password) {
        this.port = port;
        this.user = user;
        this.password = password;
        client = SshClient.setUpDefaultClient();
        // the instance made its host key a moment ago: there is nothing to verify it against
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        client.start();
    }

    /** Runs one command and returns what it printed, whatever its outcome. */
    Result execute(String command, Duration timeout) throws Exception {
        try (ClientSession session = login()) {
            return execute(session, command, timeout);
        }
    }

    /** Opens an interactive console, for commands whose results only the console prints. */
    KarafConsole console() throws Exception {
        ClientSession session = login();
        try {
            return KarafConsole.open(session, LOGIN_TIMEOUT);
        } catch (Exception e) {
            session.close(true);
            throw e;
        }
    }

    private ClientSession login() throws IOException {
        ClientSession session = client.connect(user, "127.0.0.1", port).verify(LOGIN_TIMEOUT).getSession();
        try {
            session.addPasswordIdentity(password);
            session.auth().verify(LOGIN_TIMEOUT);
            return session;
        } catch (IOException | RuntimeException e) {
            session.close(true);
            throw e;
        }
    }

    private static Result execute(ClientSession session, String command, Duration timeout) throws Exception {
        try (ChannelExec channel = session.createExecChannel(command)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            channel.setOut(out);
            channel.setErr(err);
            channel.open().verify(timeout);
            Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
            if (!events.contains(ClientChannelEvent.CLOSED)) {
                throw new IllegalStateException("No answer within " + timeout + " to: " + command);
            }
            return new Result(command, channel.getExitStatus(),
                    out.toString(StandardCharsets.UTF_8).replace("\r", ""),
                    err.toString(StandardCharsets.UTF_8).replace("\r", ""));
        }
    }

    Result execute(String command) throws Exception {
        return execute(command, COMMAND_TIMEOUT);
    }

    /** Runs a command that must succeed, and returns its output. */
    String run(String command) throws Exception {
        Result r = execute(command);
        if (!r.ok()) {
            throw new AssertionError("Command failed: " + r);
        }
        return r.out();
    }

    @Override
    public void close() {
        client.stop();
    }
}
