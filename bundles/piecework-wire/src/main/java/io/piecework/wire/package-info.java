/**
 * The BitTorrent peer wire protocol as a sans-IO codec: bytes in, listener calls out
 * ({@link io.piecework.wire.PeerDecoder}), and messages back to bytes
 * ({@link io.piecework.wire.WireEncoder}). BEP 3 messages, the fast extension (BEP 6), the
 * extension protocol (BEP 10) with {@code ut_metadata} (BEP 9) and {@code ut_pex} (BEP 11), and
 * BEP 52's hash request, hashes and hash reject ({@link io.piecework.wire.HashMessages}).
 * No sockets and no Netty here; transports (bundles piecework-transport-tcp and -utp) drive it
 * behind the SPI in {@code io.piecework.transport} (bundle piecework-transport-api).
 */
@Export
@Version("1.2.0")
package io.piecework.wire;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
