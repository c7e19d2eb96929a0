package io.piecework.core.internal;

import io.piecework.metainfo.FileMerkleTree;
import io.piecework.wire.HashRequest;
import io.piecework.wire.HashesMessage;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pins a failed piece of a v2 or hybrid torrent on the blocks that were wrong (BEP 52): asks a
 * peer that has the piece for its block hashes (a hash request with base layer 0), checks them
 * against the piece hash we hold, hashes each block as it lies on disk and blames only the
 * senders of blocks that differ; only those blocks are asked for again. Where that cannot be
 * done (a v1 torrent, no piece layer, one block per piece, no peer answers) the piece fails
 * whole, as for v1. State is guarded by the torrent's lock.
 */
final class BlockBlame {
    private static final Logger LOG = LoggerFactory.getLogger(BlockBlame.class);
    /** How long a peer may take to answer before another is asked. */
    static final long ANSWER_TIMEOUT_SECONDS = 20;

    private final Torrent torrent;
    /** The torrent's Merkle trees, answering peers' hash requests too. */
    final HashAnswers answers;
    /** Our open requests and the piece each is for. */
    private final Map<HashRequest, Integer> asked = new HashMap<>();
    /** Peers already asked about each failed piece, so a rejecting or lying peer is not asked again. */
    private final Map<Integer, Set<Long>> tried = new HashMap<>();

    /** Made once the torrent's block path exists. */
    BlockBlame(Torrent torrent) {
        this.torrent = torrent;
        this.answers = new HashAnswers(torrent.metainfo, torrent.blocks::hasVerified,
                (p, to) -> torrent.storage.read(p, 0, to), torrent.engine.disk());
    }

    /**
     * Under the lock, when a piece hashed wrong: asks a peer for its block hashes.
     *
     * @return what to send after unlocking, or null when the piece must fail whole
     */
    Runnable pieceFailed(int piece) {
        HashAnswers.FileTree file = answers.fileAt(piece);
        if (file == null || !file.tree().hasPieceLayer() || torrent.blocks.tracker.inProgress(piece) == null) {
            return null;
        }
        int[] r = file.tree().blockRequest(piece - file.firstPiece());
        if (r == null) {
            return null;
        }
        Set<Long> already = tried.computeIfAbsent(piece, k -> new HashSet<>());
        for (PeerSession p : torrent.swarm.peers) {
            if (!p.closed && p.has(piece) && speaksV2(p) && already.add(p.id)) {
                HashRequest request = new HashRequest(file.root(), r[0], r[1], r[2], r[3]);
                asked.put(request, piece);
                // The engine's scheduler, not the common pool: a busy common pool must not strand the piece.
                torrent.engine.scheduler().schedule(() -> torrent.lock.submit(() -> unanswered(request)),
                        ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                return () -> {
                    if (!p.connection.hashRequest(request)) {
                        torrent.lock.submit(() -> unanswered(request));
                    }
                };
            }
        }
        tried.remove(piece);
        return null;
    }

    /**
     * Whether hash messages may go to the peer: on a v2 connection only, as libtorrent hangs up on
     * them elsewhere. A v2-only torrent's connections are; a hybrid's are when the handshake's
     * info-hash is the truncated v2 one (found in the v2 swarm, or upgraded from v1 because our
     * dial set the BEP 52 bit). The peer's own v2 bit on a v1 connection only offers the upgrade.
     */
    private boolean speaksV2(PeerSession p) {
        if (torrent.metainfo.version() == io.piecework.api.metainfo.TorrentVersion.V2) {
            return true;
        }
        io.piecework.wire.Handshake h = p.connection.remoteHandshake();
        return h != null && torrent.metainfo.infoHashV2().map(v2 -> v2.truncated().equals(h.infoHash())).orElse(false);
    }

    /** On the peer's event loop. */
    void hashesArrived(PeerSession from, HashesMessage m) {
        torrent.lock.submit(() -> proven(from, m));
    }

    /** On the peer's event loop. */
    void rejected(HashRequest r) {
        torrent.lock.submit(() -> unanswered(r));
    }

    /** Under the lock: an ask that got no answer (rejected, timed out, not sendable): another peer, or the whole piece. */
    private Runnable unanswered(HashRequest r) {
        Integer piece = asked.remove(r);
        if (piece == null) {
            return null; // answered meanwhile
        }
        Runnable next = pieceFailed(piece);
        return next != null ? next : torrent.blocks.failWhole(piece);
    }

    /** Under the lock: checks the hashes against the piece hash, then compares the blocks on the disk pool. */
    private Runnable proven(PeerSession from, HashesMessage m) {
        HashRequest r = m.request();
        Integer piece = asked.remove(r);
        if (piece == null) {
            return null; // not ours, or late: BEP 52 answers correlate with a request
        }
        HashAnswers.FileTree file = answers.fileAt(piece);
        byte[] leaves = file.tree().verify(r.baseLayer(), r.index(), r.length(), r.proofLayers(), m.hashes());
        if (leaves == null) {
            LOG.info("{}: {} sent block hashes for piece {} that do not prove against its piece hash", torrent,
                    from, piece);
            from.trust -= 2;
            Runnable next = pieceFailed(piece);
            return next != null ? next : torrent.blocks.failWhole(piece);
        }
        return () -> torrent.engine.disk().execute(() -> compare(file, piece, leaves));
    }

    /** On the disk pool: which blocks on disk differ from their proven hashes. */
    private void compare(HashAnswers.FileTree file, int piece, byte[] proven) {
        BitSet bad = new BitSet();
        try {
            byte[] onDisk = answers.leavesOnDisk(file, piece - file.firstPiece());
            for (int b = 0; b * FileMerkleTree.HASH < onDisk.length; b++) {
                if (!java.util.Arrays.equals(onDisk, b * 32, b * 32 + 32, proven, b * 32, b * 32 + 32)) {
                    bad.set(b);
                }
            }
        } catch (Exception e) {
            LOG.info("{}: cannot read piece {} to find its bad blocks: {}", torrent, piece, e.toString());
        }
        torrent.lock.submit(() -> {
            tried.remove(piece);
            return bad.isEmpty() ? torrent.blocks.failWhole(piece) : torrent.blocks.refetchBlocks(piece, bad);
        });
    }
}
