package relay.itest;

import java.util.Arrays;
import java.util.Optional;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * Installs, starts, stops and uninstalls the relay's bundles in the running framework, from
 * this build's files, as an operator does in a live container.
 */
final class RelayBundles {

    static final String CORE = "relay.core";
    static final String WHITELIST = "relay.policy.whitelist";
    static final String QUOTA = "relay.policy.quota";
    static final String SHELL = "relay.shell";
    static final String HTTP = "relay.http";
    static final String SIGNAL = "relay.signal";

    private final BundleContext context;

    RelayBundles(BundleContext context) {
        this.context = context;
    }

    /** @return the installed bundle with this symbolic name, if any */
    Optional<Bundle> find(String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst();
    }

    /** @return the installed bundle, installing it from this build's file first if need be */
    Bundle install(String symbolicName) {
        return find(symbolicName).orElseGet(() -> {
            try {
                return context.installBundle(BuildBundles.url(symbolicName));
            } catch (BundleException e) {
                throw new AssertionError("cannot install " + symbolicName + ": " + e.getMessage(), e);
            }
        });
    }

    /** Installs if need be and starts the bundle; fails with the framework's reason if it cannot. */
    Bundle start(String symbolicName) {
        Bundle b = install(symbolicName);
        try {
            b.start();
        } catch (BundleException e) {
            throw new AssertionError("cannot start " + symbolicName + ": " + e.getMessage(), e);
        }
        return b;
    }

    /** Stops the bundle if it is installed. */
    void stop(String symbolicName) {
        find(symbolicName).ifPresent(b -> {
            try {
                b.stop();
            } catch (BundleException e) {
                throw new AssertionError("cannot stop " + symbolicName + ": " + e.getMessage(), e);
            }
        });
    }

    /** Uninstalls the bundle if it is installed. */
    void uninstall(String symbolicName) {
        find(symbolicName).ifPresent(b -> {
            try {
                b.uninstall();
            } catch (BundleException e) {
                throw new AssertionError("cannot uninstall " + symbolicName + ": " + e.getMessage(), e);
            }
        });
    }

    /** @return whether the bundle is installed and active */
    boolean active(String symbolicName) {
        return find(symbolicName).map(b -> b.getState() == Bundle.ACTIVE).orElse(false);
    }
}
