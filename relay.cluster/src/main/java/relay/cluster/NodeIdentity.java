package relay.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.Dictionary;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Who this node is to the others: its id, its REST URL and its public address, from the
 * cluster's configuration or, where it leaves them empty, from the relay's own (PIDs
 * {@code relay.http} and {@code relay.core}).
 *
 * @param id the node id
 * @param restUrl how other nodes reach its REST API, without a trailing slash
 * @param publicAddress the address its channels hand out
 */
record NodeIdentity(String id, String restUrl, String publicAddress) {

    static NodeIdentity of(ClusterSettings s, ConfigurationAdmin configAdmin) {
        Dictionary<String, Object> http = properties(configAdmin, "relay.http");
        Dictionary<String, Object> core = properties(configAdmin, "relay.core");
        String port = text(http, "port", "8480");
        String address = text(http, "address", "127.0.0.1");
        boolean tls = !text(http, "tls.keystore", "").isEmpty();
        String host = isWildcard(address) ? hostName() : address;
        String restUrl = s.restUrl().isEmpty() ? (tls ? "https://" : "http://") + bracketed(host) + ":" + port : s.restUrl();
        String id = s.nodeId().isEmpty() ? hostName() + ":" + port : s.nodeId();
        String publicAddress = s.publicAddress();
        if (publicAddress.isEmpty()) {
            publicAddress = text(core, "public.address", "");
        }
        if (publicAddress.isEmpty()) {
            String bind = text(core, "bind.address", "0.0.0.0");
            publicAddress = isWildcard(bind) ? firstNonLoopback() : bind;
        }
        return new NodeIdentity(id, restUrl, publicAddress);
    }

    private static Dictionary<String, Object> properties(ConfigurationAdmin configAdmin, String pid) {
        if (configAdmin == null) {
            return null;
        }
        try {
            Configuration[] found = configAdmin.listConfigurations("(service.pid=" + pid + ")");
            return found == null || found.length == 0 ? null : found[0].getProperties();
        } catch (IOException | org.osgi.framework.InvalidSyntaxException e) {
            return null;
        }
    }

    private static String text(Dictionary<String, Object> d, String key, String otherwise) {
        Object v = d == null ? null : d.get(key);
        String s = v == null ? "" : String.valueOf(v).trim();
        return s.isEmpty() ? otherwise : s;
    }

    private static boolean isWildcard(String address) {
        return address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]");
    }

    private static String bracketed(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static String firstNonLoopback() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof java.net.Inet4Address) {
                        return a.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            // fall through
        }
        return "127.0.0.1";
    }
}
