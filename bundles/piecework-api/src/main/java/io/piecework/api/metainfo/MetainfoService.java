package io.piecework.api.metainfo;

import java.io.IOException;
import java.nio.file.Path;
import org.osgi.annotation.versioning.ProviderType;

/** Reads, writes and creates torrents and magnet links. */
@ProviderType
public interface MetainfoService {
    /** Parses a .torrent's bytes: v1, v2 (BEP 52) or hybrid, checking a hybrid's two halves agree. */
    TorrentMetainfo parse(byte[] torrent) throws InvalidTorrentException;

    /** Reads and parses a .torrent file, refusing files larger than the parser's size limit. */
    TorrentMetainfo read(Path torrentFile) throws IOException, InvalidTorrentException;

    /** The bytes of a .torrent for this metainfo (its info dictionary exactly as parsed). */
    byte[] encode(TorrentMetainfo metainfo);

    MagnetLink parseMagnet(String uri) throws InvalidTorrentException;

    /** A magnet URI with the info-hash, name, trackers and any peers or file selection given. */
    String magnetUri(MagnetLink magnet);

    /** The magnet link of a torrent: info-hash, name and every tracker. */
    MagnetLink magnetOf(TorrentMetainfo metainfo);

    /** Hashes {@code request.source()} and builds the torrent; blocks until done. */
    TorrentMetainfo create(CreateRequest request, CreateProgress progress) throws IOException;
}
