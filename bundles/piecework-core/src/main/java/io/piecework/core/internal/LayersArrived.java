package io.piecework.core.internal;

import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.metainfo.MetainfoParser;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

/**
 * What a v2-only magnet does with the outcome of its {@link PieceLayerFetch}: with every layer
 * proven, the .torrent is written with its {@code piece layers} (so the saved file and the
 * session never ask peers again) and opened like one given by the user; on failure the magnet
 * stops with the reason; a peer whose hashes did not prove is banned.
 */
final class LayersArrived implements PieceLayerFetch.Listener {
    private final MagnetTorrent magnet;
    private final byte[] info;
    private final TorrentMetainfo metainfo;

    LayersArrived(MagnetTorrent magnet, byte[] info, TorrentMetainfo metainfo) {
        this.magnet = magnet;
        this.info = info;
        this.metainfo = metainfo;
    }

    @Override
    public void fetched(Map<Integer, byte[]> layers) {
        try {
            // Parsing hashes every layer up to its root again: off the connection's event loop.
            magnet.engine.disk().execute(() -> open(layers));
        } catch (RejectedExecutionException stopping) {
            magnet.fail("engine stopping");
        }
    }

    private void open(Map<Integer, byte[]> layers) {
        byte[] file = MagnetTorrentFile.of(magnet.magnet, info, MagnetTorrentFile.byRoot(metainfo, layers));
        TorrentMetainfo whole;
        try {
            whole = MetainfoParser.parse(file);
        } catch (Exception e) {
            magnet.fail("piece layers: " + Engine.message(e));
            return;
        }
        magnet.open(whole, file);
    }

    @Override
    public void failed(String why) {
        magnet.fail(why);
    }

    @Override
    public void lied(PieceLayerFetch.Peer peer) {
        if (peer instanceof MagnetPeer p) { // not dialled again, and gone now
            magnet.connector.ban(p.connection.remoteAddress());
            p.connection.close("piece-layer hashes that do not prove against the pieces root");
        }
    }

    /** A fresh fetch for the same torrent (after a failure, when the magnet starts again). */
    PieceLayerFetch fetch() {
        return new PieceLayerFetch(metainfo, magnet::layerPeers, this, System::nanoTime);
    }
}
