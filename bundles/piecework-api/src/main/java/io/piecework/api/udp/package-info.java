/**
 * One UDP socket shared by protocols that tell their datagrams apart by the first byte, as
 * libtorrent shares its port between uTP and the DHT: the uTP transport owns the socket and the
 * DHT claims the datagrams that start with {@code d} (bencoded KRPC).
 */
@Export
@Version("1.0.0")
package io.piecework.api.udp;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
