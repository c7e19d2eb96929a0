/**
 * Peer discovery: services (trackers, the DHT) that announce torrents and hand the engine
 * the peers they find. 1.1: {@link io.piecework.api.discovery.DhtNode}, so the engine can send and
 * follow BEP 5 {@code port} messages. 1.3: {@link io.piecework.api.discovery.DhtNode#portFor}, the
 * port of the DHT of a peer's address family.
 */
@Export
@Version("1.3.0")
package io.piecework.api.discovery;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
