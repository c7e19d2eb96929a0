/**
 * Carrying the peer wire protocol over TCP: the {@link io.piecework.transport.PeerTransport}
 * service (one per framework, shared by all torrents), the per-torrent hooks the engine
 * implements, and the connection it writes to. No Netty type appears here. 1.2:
 * {@link io.piecework.transport.ConnectionSource}, connections made by other bundles (web seeds).
 */
@Export
@Version("1.2.0")
package io.piecework.transport;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
