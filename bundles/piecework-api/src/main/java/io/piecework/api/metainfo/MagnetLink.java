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
 */
public record MagnetLink(InfoHash infoHash, Optional<String> displayName, List<String> trackers,
                         List<String> peers, List<Integer> selectOnly) {
    public MagnetLink {
        trackers = List.copyOf(trackers);
        peers = List.copyOf(peers);
        selectOnly = List.copyOf(selectOnly);
    }
}
