/**
 * The public contract of the relay.
 *
 * <p>Other bundles allocate and destroy channels through {@link relay.api.RelayService},
 * take part in every allocation decision by registering a {@link relay.api.RelayPolicy}
 * service, and observe channel life cycles by registering a {@link relay.api.ChannelListener}
 * service (whiteboard). Everything else in this package is a value type.
 */
@Export
@Version("1.0.0")
package relay.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
