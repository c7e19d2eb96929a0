/**
 * Peer discovery: services (trackers, the DHT) that announce torrents and hand the engine
 * the peers they find.
 */
@Export
@Version("1.0.0")
package io.piecework.api.discovery;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
