/**
 * Mainline DHT (BEP 5, IPv6 extensions of BEP 32, BEP 42 secure node ids) messages without I/O: KRPC queries, responses and errors, bytes in and
 * records out. Every input is hostile: sizes are bounded and anything malformed raises
 * {@link io.piecework.dht.KrpcException}, nothing else.
 */
@Export
@Version("1.2.0")
package io.piecework.dht;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
