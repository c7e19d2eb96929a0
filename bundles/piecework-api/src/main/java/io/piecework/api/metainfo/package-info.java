/**
 * Torrent metainfo: the value types that describe a torrent (info-hash, files, pieces,
 * trackers), magnet links, and the service that reads, writes and creates them.
 */
@Export
@Version("1.2.0")
package io.piecework.api.metainfo;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
