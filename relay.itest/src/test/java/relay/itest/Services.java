package relay.itest;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

import relay.testing.Poll;

/** Looks up services the way a consumer bundle would, waiting for them to appear. */
final class Services {

    private Services() {
    }

    /**
     * @return the service of {@code type}, waiting up to the poll deadline for it to be registered;
     *         the tests' bundle keeps using it (as a consumer bundle would) until the test bundle stops
     */
    static <T> T await(BundleContext context, Class<T> type) {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        try {
            tracker.waitForService(Poll.DEADLINE.toMillis());
            ServiceReference<T> ref = tracker.getServiceReference();
            T service = ref == null ? null : context.getService(ref);
            if (service == null) {
                throw new AssertionError("no " + type.getName() + " service after " + Poll.DEADLINE.toSeconds() + " s");
            }
            return service;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + type.getName(), e);
        } finally {
            tracker.close();
        }
    }

    /** @return the {@code service.id} of the registered service of {@code type}; fails if there is none */
    static long id(BundleContext context, Class<?> type) {
        ServiceReference<?> ref = context.getServiceReference(type);
        if (ref == null) {
            throw new AssertionError("no " + type.getName() + " service is registered");
        }
        return (Long) ref.getProperty("service.id");
    }

    /** @return whether a service of {@code type} is registered now */
    static boolean present(BundleContext context, Class<?> type) {
        return context.getServiceReference(type) != null;
    }
}
