/**
 * The service provider interface of the relay: what other bundles implement to take part.
 *
 * <p>Register a {@link relay.api.spi.RelayPolicy} service to take part in every allocation
 * decision (it answers with a {@link relay.api.spi.PolicyDecision} and sees the relay's state
 * through a {@link relay.api.spi.PolicyContext}), and a {@link relay.api.spi.ChannelListener}
 * service to observe channel life cycles (whiteboard). A new method in {@code RelayPolicy} or
 * {@code ChannelListener} is a major version of this package unless it has a default.
 */
@Export
@Version("1.1.0")
package relay.api.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
