/**
 * What other bundles use of the signalling node: {@link relay.signal.api.SignalListener}, the
 * whiteboard of back-end events (an endpoint connected, resumed, disconnected, joined or left a
 * pool).
 */
@Export
@Version("1.0.0")
package relay.signal.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
