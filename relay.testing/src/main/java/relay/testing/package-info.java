/**
 * Helpers for the tests of the relay's modules: component property types as Declarative
 * Services makes them ({@link relay.testing.ComponentConfig}), a captured log
 * ({@link relay.testing.CapturedLog}), a UDP party of a call ({@link relay.testing.UdpPeer}),
 * polling for what other threads do ({@link relay.testing.Poll}), a real keystore for TLS
 * ({@link relay.testing.TestKeystore}) and a strict reader of metrics expositions
 * ({@link relay.testing.Exposition}).
 *
 * <p>Test scope only, never deployed; a bundle as well, so that the integration tests can use the
 * same helpers inside the framework. It depends on no relay module, so that every module's tests
 * may use it.
 */
@Export
@Version("1.4.0")
package relay.testing;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
