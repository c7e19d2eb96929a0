package io.piecework.webseed.internal;

import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.wire.ExtendedHandshake;
import io.piecework.wire.Handshake;
import io.piecework.wire.MetadataMessage;
import io.piecework.wire.PexMessage;
import io.piecework.transport.PeerConnection;
import io.piecework.transport.PeerHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.roaringbitmap.RoaringBitmap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A web seed as the engine sees it: a peer that has every piece, never chokes, and answers the
 * engine's block requests by HTTP range requests, so the engine's picker, verification,
 * hash-failure bans and statistics treat it like any peer. Requests queued together are
 * coalesced into runs of adjacent bytes (up to {@link WebSeedSettings#maxRangeBytes()}), each
 * run split at file boundaries into one range request per file; at most
 * {@link WebSeedSettings#maxRequests()} runs are under way. Blocks go to the handler in order,
 * on this seed's own serial executor; a cancelled block is dropped when its bytes arrive.
 * Failures worth retrying back off (doubling, bounded) and requeue their blocks; too many in a
 * row, or one that says the server is no use, closes the connection.
 */
final class WebSeedConnection implements PeerConnection {
    private static final Logger LOG = LoggerFactory.getLogger(WebSeedConnection.class);
    /** The largest block the engine asks for is 16 KiB; BEP 3 peers accept up to 128 KiB. */
    static final int MAX_BLOCK = 128 * 1024;

    private record Block(int piece, int begin, int length, long offset) {
    }

    private final String name;
    private final TorrentMetainfo metainfo;
    private final RangeMap ranges;
    private final URI[] fileUrls;
    private final InetSocketAddress address;
    private final Handshake handshake;
    private final RangeClient client;
    private final Supplier<WebSeedSettings> settings;
    private final SerialExecutor loop;
    private final ScheduledExecutorService timer;

    // Guarded by this.
    private PeerHandler handler;
    /** Blocks asked for and not yet delivered or cancelled, by their offset in the torrent. */
    private final Map<Long, Block> wanted = new HashMap<>();
    /** The wanted blocks no request is under way for, in torrent order. */
    private final TreeMap<Long, Block> queued = new TreeMap<>();
    private int inFlight;
    private int failures;
    private long backoffUntil;
    private boolean retryScheduled;
    private boolean unchoked;
    private boolean closed;
    private int delivered;
    /** Told when the seed dropped itself for an error (not when the engine closed it). */
    private volatile Runnable onError = () -> { };

    WebSeedConnection(String name, TorrentMetainfo metainfo, URI[] fileUrls, InetSocketAddress address,
                      Handshake handshake, RangeClient client, Supplier<WebSeedSettings> settings, Executor pool,
                      ScheduledExecutorService timer) {
        this.name = name;
        this.metainfo = metainfo;
        this.ranges = new RangeMap(metainfo.files());
        this.fileUrls = fileUrls.clone();
        this.address = address;
        this.handshake = handshake;
        this.client = client;
        this.settings = settings;
        this.loop = new SerialExecutor(pool);
        this.timer = timer;
    }

    /** The engine took the connection: it learns that the seed has every piece. */
    void start(PeerHandler taken) {
        synchronized (this) {
            handler = taken;
        }
        loop.execute(taken::onHaveAll);
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** Blocks handed to the engine so far. */
    synchronized int delivered() {
        return delivered;
    }

    /** {@code r} runs once if the seed drops itself for an error, so its owner may try again later. */
    void onError(Runnable r) {
        onError = r;
    }

    @Override
    public void request(int piece, int begin, int length) {
        if (piece < 0 || piece >= metainfo.pieceCount() || begin < 0 || length <= 0 || length > MAX_BLOCK
                || begin + (long) length > metainfo.pieceSize(piece)) {
            LOG.debug("web seed {}: ignored request {}/{}+{}", name, piece, begin, length);
            return;
        }
        long offset = piece * metainfo.pieceLength() + begin;
        synchronized (this) {
            if (closed || wanted.containsKey(offset)) {
                return;
            }
            Block b = new Block(piece, begin, length, offset);
            wanted.put(offset, b);
            queued.put(offset, b);
        }
        // Dispatched after what the engine sends in the same flush is queued: runs come out longer.
        loop.execute(this::dispatch);
    }

    /**
     * On the seed's loop, so the dispatches the batch's requests queue run after all of them: a
     * flush of adjacent blocks becomes one range request, whatever the threads' timing.
     */
    @Override
    public void batch(Runnable sends) {
        loop.execute(sends);
    }

    @Override
    public void cancel(int piece, int begin, int length) {
        if (piece < 0 || piece >= metainfo.pieceCount()) {
            return;
        }
        long offset = piece * metainfo.pieceLength() + begin;
        synchronized (this) {
            wanted.remove(offset);
            queued.remove(offset);
        }
    }

    @Override
    public void interested() {
        PeerHandler h;
        synchronized (this) {
            if (unchoked || closed || handler == null) {
                return;
            }
            unchoked = true;
            h = handler;
        }
        loop.execute(h::onUnchoke); // a web seed is a permanently unchoked seed (BEP 19)
    }

    /** On the loop: starts runs while there is room, no backoff, and blocks queued. */
    private void dispatch() {
        List<List<Block>> runs = new ArrayList<>();
        synchronized (this) {
            WebSeedSettings s = settings.get();
            long now = System.nanoTime();
            if (closed || (backoffUntil != 0 && now - backoffUntil < 0)) {
                return;
            }
            while (inFlight < s.maxRequests() && !queued.isEmpty()) {
                List<Block> run = new ArrayList<>();
                long end = -1;
                long size = 0;
                while (!queued.isEmpty()) {
                    Block b = queued.firstEntry().getValue();
                    if ((end >= 0 && b.offset() != end) || size + b.length() > Math.max(s.maxRangeBytes(), MAX_BLOCK)) {
                        break;
                    }
                    queued.pollFirstEntry();
                    run.add(b);
                    end = b.offset() + b.length();
                    size += b.length();
                }
                inFlight++;
                runs.add(run);
            }
        }
        for (List<Block> run : runs) {
            fetch(run).whenComplete((bytes, failure) -> loop.execute(() -> finished(run, bytes, failure)));
        }
    }

    /** The bytes of a run: one range request per file it covers, one after the other; pad files are zeros. */
    private CompletableFuture<byte[]> fetch(List<Block> run) {
        long start = run.get(0).offset();
        Block last = run.get(run.size() - 1);
        int length = (int) (last.offset() + last.length() - start);
        byte[] bytes = new byte[length];
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        int at = 0;
        for (RangeMap.Segment seg : ranges.segments(start, length)) {
            int into = at;
            at += (int) seg.length();
            URI url = fileUrls[seg.file()];
            if (url == null) {
                continue; // a pad file: its zeros are already in the array
            }
            long fileLength = ranges.file(seg.file()).length();
            chain = chain.thenCompose(v -> client.fetch(url, seg.offset(), (int) seg.length(), fileLength)
                    .thenAccept(part -> System.arraycopy(part, 0, bytes, into, part.length)));
        }
        return chain.thenApply(v -> bytes);
    }

    /** On the loop: a run ended; its wanted blocks go to the handler in order, or back in the queue. */
    private void finished(List<Block> run, byte[] bytes, Throwable failure) {
        PeerHandler h;
        String drop = null;
        synchronized (this) {
            inFlight--;
            if (closed) {
                return;
            }
            h = handler;
            if (failure == null) {
                failures = 0;
            } else {
                WebSeedException e = RangeClient.classify(RangeClient.unwrap(failure));
                WebSeedSettings s = settings.get();
                if (e.kind() != WebSeedException.Kind.RETRY) {
                    drop = e.getMessage();
                } else if (++failures > s.maxRetries()) {
                    drop = failures + " failures in a row, the last: " + e.getMessage();
                } else {
                    long pause = s.backoff(failures, e.retryAfterSeconds()).toNanos();
                    backoffUntil = System.nanoTime() + pause;
                    for (Block b : run) {
                        if (wanted.containsKey(b.offset())) {
                            queued.put(b.offset(), b);
                        }
                    }
                    LOG.debug("web seed {}: {}; retrying in {} ms", name, e.getMessage(), pause / 1_000_000);
                    if (!retryScheduled) {
                        retryScheduled = true;
                        timer.schedule(() -> loop.execute(this::retry), pause, TimeUnit.NANOSECONDS);
                    }
                    return;
                }
            }
        }
        if (drop != null) {
            LOG.info("web seed {} dropped: {}", name, drop);
            close("web seed: " + drop);
            onError.run();
            return;
        }
        long start = run.get(0).offset();
        for (Block b : run) {
            synchronized (this) {
                if (closed || wanted.remove(b.offset()) == null) {
                    continue; // cancelled meanwhile, or the seed is gone
                }
                delivered++;
            }
            deliver(h, b, bytes, (int) (b.offset() - start));
        }
        dispatch();
    }

    private void retry() {
        synchronized (this) {
            retryScheduled = false;
        }
        dispatch();
    }

    /** As the wire decoder does: the block goes where the handler wants it, with one copy. */
    private static void deliver(PeerHandler h, Block b, byte[] bytes, int from) {
        ByteBuffer dest = h.pieceDestination(b.piece(), b.begin(), b.length());
        if (dest == null) {
            dest = ByteBuffer.allocate(b.length());
        }
        int at = dest.position();
        dest.put(bytes, from, b.length());
        dest.limit(at + b.length()).position(at);
        h.onPiece(b.piece(), b.begin(), dest);
    }

    @Override
    public void close(String reason) {
        PeerHandler h;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            wanted.clear();
            queued.clear();
            h = handler;
        }
        if (h != null) {
            loop.execute(() -> h.onClosed(reason));
        }
    }

    // --- the rest of a peer connection: nothing to do for an HTTP server ---

    @Override
    public InetSocketAddress remoteAddress() {
        return address;
    }

    @Override
    public Handshake remoteHandshake() {
        return handshake;
    }

    @Override
    public boolean fastExtension() {
        return false;
    }

    @Override
    public boolean extensionProtocol() {
        return false;
    }

    @Override
    public ExtendedHandshake remoteExtendedHandshake() {
        return null;
    }

    @Override
    public void pieceCount(int pieces) {
    }

    @Override
    public boolean isWritable() {
        return true;
    }

    @Override
    public void pauseReading() {
    }

    @Override
    public void resumeReading() {
    }

    @Override
    public void choke() {
    }

    @Override
    public void unchoke() {
    }

    @Override
    public void notInterested() {
    }

    @Override
    public void have(int piece) {
    }

    @Override
    public void bitfield(RoaringBitmap pieces) {
    }

    @Override
    public void haveAll() {
    }

    @Override
    public void haveNone() {
    }

    @Override
    public void rejectRequest(int piece, int begin, int length) {
    }

    @Override
    public void allowedFast(int piece) {
    }

    @Override
    public void suggestPiece(int piece) {
    }

    @Override
    public void port(int port) {
    }

    @Override
    public void piece(int piece, int begin, ByteBuffer block) {
    }

    @Override
    public void piece(int piece, int begin, FileChannel file, long position, int length) {
    }

    @Override
    public void piece(int piece, int begin, FileChannel file, long position, int length, Runnable done) {
        done.run(); // never sent: a web seed asks for nothing
    }

    @Override
    public void extendedHandshake(ExtendedHandshake handshake) {
    }

    @Override
    public boolean metadata(MetadataMessage message) {
        return false;
    }

    @Override
    public boolean pex(PexMessage message) {
        return false;
    }

    @Override
    public String toString() {
        return "web seed " + name;
    }
}
