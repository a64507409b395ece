/**
 * The service API of the relay: what a caller uses.
 *
 * <p>Other bundles allocate and destroy channels through {@link relay.api.RelayService}. The
 * values it hands out ({@link relay.api.RelayChannel}, {@link relay.api.ChannelSide},
 * {@link relay.api.Traffic}, {@link relay.api.RelayStats}, {@link relay.api.ChannelRequest}) are
 * interfaces implemented by this package only, made by their builders or factories, so that a
 * new accessor is a minor version of this package. What other bundles implement to take part
 * (policies, listeners) is in {@link relay.api.spi}.
 */
@Export
@Version("2.0.0")
package relay.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
