package relay.itest;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** Pushes configurations through Config Admin, as FileInstall or a management console does. */
final class Configs {

    /** Any bundle may receive it: the target bundle may be reinstalled during a test. */
    private static final String ANY_LOCATION = "?";

    private final ConfigurationAdmin admin;

    Configs(BundleContext context) {
        this.admin = Services.await(context, ConfigurationAdmin.class);
    }

    /** Creates or replaces the configuration of {@code pid}. */
    void put(String pid, Map<String, ?> properties) {
        try {
            admin.getConfiguration(pid, ANY_LOCATION).update(dictionary(properties));
        } catch (IOException e) {
            throw new AssertionError("cannot update configuration " + pid, e);
        }
    }

    /** Deletes the configuration of {@code pid}, if there is one. */
    void delete(String pid) {
        try {
            Configuration[] found = admin.listConfigurations("(service.pid=" + pid + ")");
            if (found != null) {
                for (Configuration c : found) {
                    c.delete();
                }
            }
        } catch (IOException | org.osgi.framework.InvalidSyntaxException e) {
            throw new AssertionError("cannot delete configuration " + pid, e);
        }
    }

    private static Dictionary<String, Object> dictionary(Map<String, ?> properties) {
        Hashtable<String, Object> d = new Hashtable<>();
        properties.forEach(d::put);
        return d;
    }
}
