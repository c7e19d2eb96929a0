/**
 * Request strategies: which blocks to ask a peer for next. The engine owns every durable
 * fact (requests in flight, received blocks, completion, peers); a strategy sees them through
 * {@link TorrentView} and {@link PeerView} and keeps only caches it can rebuild, so one
 * strategy can replace another while torrents run.
 */
@Export
@Version("1.0.0")
package io.piecework.api.strategy;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
