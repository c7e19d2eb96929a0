package io.piecework.api.metainfo;

import java.util.List;
import java.util.Optional;

/**
 * A magnet link (BEP 9).
 *
 * @param infoHash    from {@code xt=urn:btih:}
 * @param displayName {@code dn}, if given
 * @param trackers    {@code tr} parameters, in order
 * @param peers       {@code x.pe} peer addresses as {@code host:port} (IPv6 as {@code [addr]:port})
 * @param selectOnly  BEP 53 {@code so} file indices, expanded from ranges, ascending; empty for all
 * @param webSeeds    BEP 19 {@code ws} web seed URLs (http or https), in order; they become the
 *                    {@code url-list} of the torrent once its metadata is in
 */
public record MagnetLink(InfoHash infoHash, Optional<String> displayName, List<String> trackers,
                         List<String> peers, List<Integer> selectOnly, List<String> webSeeds) {
    public MagnetLink {
        trackers = List.copyOf(trackers);
        peers = List.copyOf(peers);
        selectOnly = List.copyOf(selectOnly);
        webSeeds = List.copyOf(webSeeds);
    }

    /** A link without web seeds. */
    public MagnetLink(InfoHash infoHash, Optional<String> displayName, List<String> trackers, List<String> peers,
                      List<Integer> selectOnly) {
        this(infoHash, displayName, trackers, peers, selectOnly, List.of());
    }
}
