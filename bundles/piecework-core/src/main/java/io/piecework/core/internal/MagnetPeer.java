package io.piecework.core.internal;

import io.piecework.wire.ExtendedHandshake;
import io.piecework.wire.Extensions;
import io.piecework.wire.HashRequest;
import io.piecework.wire.HashesMessage;
import io.piecework.wire.MetadataMessage;
import io.piecework.wire.PexMessage;
import io.piecework.transport.PeerConnection;
import io.piecework.transport.PeerHandler;
import java.nio.ByteBuffer;
import org.roaringbitmap.RoaringBitmap;

/**
 * A connection made for a magnet link before its metadata is known. It fetches metadata and
 * remembers what the peer says it has; once the torrent exists the connection is adopted and
 * every later message goes to the torrent's {@link PeerSession}. Its monitor orders the
 * hand-over against the connection's event loop.
 */
final class MagnetPeer implements PeerHandler, MetadataFetch.Peer, PieceLayerFetch.Peer {
    private final MagnetTorrent magnet;
    final PeerConnection connection;
    /** BEP 11's pace for what this peer tells us; guarded by this. */
    private final Pex.Gate pexGate = new Pex.Gate();

    // Guarded by this.
    private PeerHandler delegate;
    private final RoaringBitmap pieces = new RoaringBitmap();
    private boolean all;
    private boolean unchoked;
    private boolean interested;
    private boolean closed;
    /** The piece count once adopted: the codec learns it asynchronously, so early messages are checked here. */
    private int pieceCount = -1;

    MagnetPeer(MagnetTorrent magnet, PeerConnection connection) {
        this.magnet = magnet;
        this.connection = connection;
    }

    @Override
    public boolean request(int piece) {
        return connection.metadata(MetadataMessage.request(piece));
    }

    @Override
    public boolean hashRequest(HashRequest request) {
        return connection.hashRequest(request);
    }

    /**
     * The metadata is known: checks what the peer said it had against the piece count, then
     * gives the connection to {@code torrent}. False when the peer is gone or refused.
     */
    synchronized boolean adopt(Torrent torrent) {
        if (closed) {
            return false;
        }
        int count = torrent.metainfo.pieceCount();
        pieceCount = count;
        connection.pieceCount(count);
        // Before the count was known the codec let any bitfield length and any have index by.
        if (!all && !pieces.isEmpty() && pieces.last() >= count) {
            connection.close("announced piece " + pieces.last() + " of a torrent with " + count + " pieces");
            return false;
        }
        PeerSession session = torrent.swarm.connected(connection, true);
        if (session == null) {
            connection.close("refused by the torrent");
            return false;
        }
        delegate = session;
        ExtendedHandshake h = connection.remoteExtendedHandshake();
        if (h != null) {
            session.onExtendedHandshake(h);
        }
        if (all) {
            session.onHaveAll();
        } else if (!pieces.isEmpty()) {
            RoaringBitmap copy = torrent.engine.takeBitmap(); // the session gives it back to the pool
            copy.or(pieces);
            session.onBitfield(copy);
        }
        if (interested) {
            session.onInterested();
        }
        if (unchoked) {
            session.onUnchoke();
        }
        return true;
    }

    @Override
    public synchronized void onChoke() {
        if (delegate != null) {
            delegate.onChoke();
        } else {
            unchoked = false;
        }
    }

    @Override
    public synchronized void onUnchoke() {
        if (delegate != null) {
            delegate.onUnchoke();
        } else {
            unchoked = true;
        }
    }

    @Override
    public synchronized void onInterested() {
        if (delegate != null) {
            delegate.onInterested();
        } else {
            interested = true;
        }
    }

    @Override
    public synchronized void onNotInterested() {
        if (delegate != null) {
            delegate.onNotInterested();
        } else {
            interested = false;
        }
    }

    @Override
    public synchronized void onHave(int piece) {
        if (delegate != null) {
            if (piece >= pieceCount) {
                connection.close("have " + piece + " of a torrent with " + pieceCount + " pieces");
                return;
            }
            delegate.onHave(piece);
        } else {
            pieces.add(piece);
        }
    }

    @Override
    public synchronized void onBitfield(RoaringBitmap bitfield) {
        if (delegate != null) {
            if (!bitfield.isEmpty() && bitfield.last() >= pieceCount) {
                magnet.engine.releaseBitmap(bitfield);
                connection.close("bitfield beyond the torrent's " + pieceCount + " pieces");
                return;
            }
            delegate.onBitfield(bitfield);
        } else {
            pieces.clear();
            pieces.or(bitfield);
            magnet.engine.releaseBitmap(bitfield); // copied: the decoder's bitmap goes back
        }
    }

    @Override
    public synchronized void onHaveAll() {
        if (delegate != null) {
            delegate.onHaveAll();
        } else {
            all = true;
        }
    }

    @Override
    public synchronized void onHaveNone() {
        if (delegate != null) {
            delegate.onHaveNone();
        } else {
            all = false;
            pieces.clear();
        }
    }

    @Override
    public synchronized void onRequest(int piece, int begin, int length) {
        if (delegate != null) {
            if (piece >= pieceCount) {
                connection.close("request for piece " + piece + " of a torrent with " + pieceCount + " pieces");
                return;
            }
            delegate.onRequest(piece, begin, length);
        } else if (connection.fastExtension()) {
            connection.rejectRequest(piece, begin, length);
        }
    }

    @Override
    public synchronized void onCancel(int piece, int begin, int length) {
        if (delegate != null) {
            delegate.onCancel(piece, begin, length);
        }
    }

    @Override
    public synchronized ByteBuffer pieceDestination(int piece, int begin, int length) {
        return delegate != null ? delegate.pieceDestination(piece, begin, length) : null;
    }

    @Override
    public synchronized void onPiece(int piece, int begin, ByteBuffer block) {
        if (delegate != null) {
            delegate.onPiece(piece, begin, block);
        }
    }

    @Override
    public synchronized void onRejectRequest(int piece, int begin, int length) {
        if (delegate != null) {
            delegate.onRejectRequest(piece, begin, length);
        }
    }

    @Override
    public void onPort(int port) {
        magnet.engine.dhtPorts().learned(connection, port);
    }

    @Override
    public synchronized void onExtendedHandshake(ExtendedHandshake handshake) {
        if (delegate != null) {
            delegate.onExtendedHandshake(handshake);
        } else if (handshake.idOf(Extensions.UT_METADATA) != 0) {
            magnet.fetch.peerReady(this, handshake.metadataSize());
        }
    }

    @Override
    public synchronized void onMetadata(MetadataMessage message) {
        if (delegate != null) {
            delegate.onMetadata(message);
        } else if (message.type() == MetadataMessage.REQUEST) {
            connection.metadata(MetadataMessage.reject(message.piece()));
        } else {
            magnet.fetch.received(this, message);
        }
    }

    @Override
    public synchronized void onHashRequest(HashRequest request) {
        if (delegate != null) {
            delegate.onHashRequest(request);
        } else {
            connection.hashReject(request); // BEP 52 wants an answer; we have no tree yet
        }
    }

    @Override
    public synchronized void onHashes(HashesMessage hashes) {
        PieceLayerFetch layers = magnet.layers();
        if (delegate != null) {
            delegate.onHashes(hashes);
        } else if (layers != null) {
            layers.received(this, hashes);
        }
    }

    @Override
    public synchronized void onHashReject(HashRequest request) {
        PieceLayerFetch layers = magnet.layers();
        if (delegate != null) {
            delegate.onHashReject(request);
        } else if (layers != null) {
            layers.unanswered(this, request);
        }
    }

    @Override
    public synchronized void onPex(PexMessage message) {
        if (delegate != null) {
            delegate.onPex(message);
        } else {
            if (pexGate.admit(System.nanoTime(), magnet.engine.settings().pexIntervalSeconds())) {
                magnet.peersExchanged(message);
            }
        }
    }

    @Override
    public synchronized void onWritabilityChanged(boolean writable) {
        if (delegate != null) {
            delegate.onWritabilityChanged(writable);
        }
    }

    @Override
    public void onClosed(String reason) {
        PeerHandler d;
        synchronized (this) {
            closed = true;
            d = delegate;
        }
        if (d != null) {
            d.onClosed(reason);
        } else {
            magnet.peerClosed(this, reason);
        }
    }

    @Override
    public String toString() {
        return connection.remoteAddress().toString();
    }
}
