/**
 * Carrying the peer wire protocol over a transport (TCP and uTP, each in a bundle of its own): the {@link io.piecework.transport.PeerTransport}
 * service (one per framework, shared by all torrents), the per-torrent hooks the engine
 * implements, and the connection it writes to. No Netty type appears here. 1.2:
 * {@link io.piecework.transport.ConnectionSource}, connections made by other bundles (web seeds).
 * 1.3: {@link io.piecework.transport.PeerConnection#encrypted()}; {@link io.piecework.transport.FixedMessages},
 * the fixed-size messages encoded once for every transport. 1.4: {@link io.piecework.transport.PeerConnection#utp()}.
 * 1.6: {@link io.piecework.transport.PeerConnection#fastExtension()} and {@code extensionProtocol()} are
 * derived from {@code remoteHandshake()} here, for every transport; {@link io.piecework.transport.RateBudget},
 * limits shared by every transport of an engine; {@link io.piecework.transport.HandshakeCheck}.
 */
@Export
@Version("1.6.0")
package io.piecework.transport;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
