package io.piecework.transport;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.wire.PeerId;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Connects to peers and accepts them for every registered torrent. Incoming connections are
 * routed by the info-hash of their handshake; one for a torrent nobody registered is closed.
 */
@ProviderType
public interface PeerTransport {
    /** Our peer id, the same in every handshake this transport sends. */
    PeerId localPeerId();

    /** The bound listen port, or -1 when not listening. */
    int port();

    /** Routes handshakes for {@code infoHash} to {@code torrent} until the registration is closed. */
    TorrentRegistration register(InfoHash infoHash, TorrentPeers torrent);

    /**
     * Opens a connection for a registered torrent. Completes when both handshakes are
     * exchanged and {@link TorrentPeers#connected} accepted the peer; fails on timeout,
     * refusal or a wrong handshake.
     */
    CompletableFuture<PeerConnection> connect(InfoHash infoHash, InetSocketAddress address);

    /**
     * Caps the download and upload rates of all this transport's connections together, in
     * bytes per second (0: unlimited), at once for open connections too. Every byte on the wire
     * counts, protocol messages included. A transport that cannot shape ignores it.
     *
     * @throws IllegalArgumentException for a negative rate
     */
    default void limitRates(long downloadBytesPerSecond, long uploadBytesPerSecond) {
    }

    /**
     * Caps this transport's connections by budgets the engine hands to each of its transports,
     * so that together they stay within one limit (TCP and uTP at 1 MiB/s each would otherwise
     * make 2). A later {@link RateBudget#rate} applies at once. A transport that cannot draw on
     * shared budgets (the default) takes their current rates as its own limits (1.6).
     */
    default void limitRates(RateBudget download, RateBudget upload) {
        limitRates(download.rate(), upload.rate());
    }
}
