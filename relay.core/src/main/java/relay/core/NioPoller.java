package relay.core;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.function.Consumer;

/** A {@link Poller} that is a JDK {@link Selector}, for the {@code nio} engine. */
final class NioPoller implements Poller {

    private final Selector selector;
    /** One instance for every select: a method reference made per call would be allocated per wake-up. */
    private final Consumer<SelectionKey> onKey = this::onKey;
    /** Where the current select hands ready endpoints; loop thread only. */
    private Consumer<Endpoint> ready;

    NioPoller() throws IOException {
        this.selector = Selector.open();
    }

    @Override
    public void register(UdpSocket socket, Endpoint endpoint) throws IOException {
        ((NioSocket) socket).channel.register(selector, SelectionKey.OP_READ, endpoint);
    }

    @Override
    public void select(Consumer<Endpoint> ready) throws IOException {
        this.ready = ready;
        selector.select(onKey);
    }

    @Override
    public void selectNow(Consumer<Endpoint> ready) throws IOException {
        this.ready = ready;
        selector.selectNow(onKey);
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public void close() {
        try {
            for (SelectionKey k : selector.keys()) {
                ((Endpoint) k.attachment()).socket.close();
            }
            selector.close();
        } catch (IOException | RuntimeException ignored) {
            // nothing left to do
        }
    }

    private void onKey(SelectionKey key) {
        if (key.isValid()) {
            ready.accept((Endpoint) key.attachment());
        }
    }
}
