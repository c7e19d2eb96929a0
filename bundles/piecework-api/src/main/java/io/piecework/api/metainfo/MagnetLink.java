package io.piecework.api.metainfo;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A magnet link (BEP 9), with the BEP 52 {@code urn:btmh:} v2 info-hash when it has one.
 *
 * @param infoHash    from {@code xt=urn:btih:}; for a link with only {@code urn:btmh:} the
 *                    truncated v2 info-hash (what the wire carries), see {@link #v2Only()}
 * @param displayName {@code dn}, if given
 * @param trackers    {@code tr} parameters, in order
 * @param peers       {@code x.pe} peer addresses as {@code host:port} (IPv6 as {@code [addr]:port})
 * @param selectOnly  BEP 53 {@code so} file indices, expanded from ranges, ascending; empty for all
 * @param infoHashV2  from {@code xt=urn:btmh:1220...}, if given
 * @param webSeeds    BEP 19 {@code ws} web seed URLs (http or https), in order; they become the
 *                    {@code url-list} of the torrent once its metadata is in
 */
public record MagnetLink(InfoHash infoHash, Optional<String> displayName, List<String> trackers,
                         List<String> peers, List<Integer> selectOnly, Optional<InfoHashV2> infoHashV2,
                         List<String> webSeeds) {
    public MagnetLink {
        Objects.requireNonNull(infoHash);
        trackers = List.copyOf(trackers);
        peers = List.copyOf(peers);
        selectOnly = List.copyOf(selectOnly);
        Objects.requireNonNull(infoHashV2);
        webSeeds = List.copyOf(webSeeds);
    }

    /** A v1 magnet link (no v2 info-hash) without web seeds. */
    public MagnetLink(InfoHash infoHash, Optional<String> displayName, List<String> trackers,
                      List<String> peers, List<Integer> selectOnly) {
        this(infoHash, displayName, trackers, peers, selectOnly, Optional.empty(), List.of());
    }

    /** A link without web seeds. */
    public MagnetLink(InfoHash infoHash, Optional<String> displayName, List<String> trackers,
                      List<String> peers, List<Integer> selectOnly, Optional<InfoHashV2> infoHashV2) {
        this(infoHash, displayName, trackers, peers, selectOnly, infoHashV2, List.of());
    }

    /** A v1 link with web seeds. */
    public MagnetLink(InfoHash infoHash, Optional<String> displayName, List<String> trackers,
                      List<String> peers, List<Integer> selectOnly, List<String> webSeeds) {
        this(infoHash, displayName, trackers, peers, selectOnly, Optional.empty(), webSeeds);
    }

    /** True when the link names only a v2 info-hash: no v1 peer can serve it. */
    public boolean v2Only() {
        return infoHashV2.isPresent() && infoHashV2.get().truncated().equals(infoHash);
    }
}
