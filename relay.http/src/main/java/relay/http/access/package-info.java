/**
 * The REST API's access rules, one implementation for every resource served on relay.http's
 * listener ({@code /relay}, {@code /metrics}, and other bundles' such as relay.signal's
 * {@code /signal/*}): {@link relay.http.access.ApiAccess}.
 */
@Export
@Version("1.0.0")
package relay.http.access;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
