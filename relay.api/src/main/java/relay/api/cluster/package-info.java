/**
 * What a node knows of the cluster it belongs to: the live nodes, where each channel lives and
 * where a new one should go. Registered by the cluster bundle; the REST API and the shell use it
 * when it is there, and a relay without it runs alone.
 */
@Export
@Version("1.0.0")
package relay.api.cluster;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
