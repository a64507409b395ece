package relay.launch;

import java.util.concurrent.TimeUnit;

import org.osgi.annotation.bundle.Header;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;

/**
 * Stops the OSGi framework when the JVM is told to exit (SIGTERM, Ctrl-C, {@code System.exit}),
 * and waits for it, so that every bundle stops as on {@code stop 0}: the relay destroys its
 * channels with reason {@code SHUTDOWN} and closes its sockets before the process ends. The
 * launcher of an executable jar has no such hook of its own.
 */
@Header(name = Constants.BUNDLE_ACTIVATOR, value = "${@class}")
public final class ShutdownHook implements BundleActivator {

    /** How long the JVM waits for the framework to stop before it exits anyway. */
    static final long STOP_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(20);

    Thread hook;

    @Override
    public void start(BundleContext context) {
        Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        hook = new Thread(() -> stop(system), "relay-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public void stop(BundleContext context) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is exiting: this hook is what stops the framework
        }
    }

    /** Stops the framework and waits, at most {@link #STOP_TIMEOUT_MS}. */
    static void stop(Bundle system) {
        try {
            system.stop();
            if (system instanceof Framework framework) {
                framework.waitForStop(STOP_TIMEOUT_MS);
            }
        } catch (BundleException | IllegalStateException e) {
            System.err.println("relay.launch: the framework did not stop cleanly: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
