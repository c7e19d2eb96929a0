/**
 * Torrent metainfo as a plain library (no OSGi needed): {@link io.piecework.metainfo.MetainfoParser}
 * reads v1, v2 and hybrid .torrent files strictly, {@link io.piecework.metainfo.MetainfoWriter} writes them back
 * with the original info bytes, {@link io.piecework.metainfo.MagnetLinks} parses and formats magnet
 * URIs, {@link io.piecework.metainfo.TorrentCreator} hashes files into a new torrent and
 * {@link io.piecework.metainfo.PathSanitizer} keeps every name a torrent gives inside the download folder;
 * {@link io.piecework.metainfo.FileMerkleTree} builds and checks BEP 52 Merkle proofs.
 */
@Export
@Version("1.2.0")
package io.piecework.metainfo;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
