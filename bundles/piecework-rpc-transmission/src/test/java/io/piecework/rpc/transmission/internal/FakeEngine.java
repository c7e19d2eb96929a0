package io.piecework.rpc.transmission.internal;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.EngineStats;
import io.piecework.api.engine.Priority;
import io.piecework.api.engine.TorrentEngine;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentState;
import io.piecework.api.engine.TorrentStats;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.MagnetLink;
import io.piecework.api.metainfo.TorrentMetainfo;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** An engine that records what the RPC asks of it; its torrents' state is set by the test. */
final class FakeEngine implements TorrentEngine {
    final List<FakeHandle> torrents = new CopyOnWriteArrayList<>();

    static final class FakeHandle implements TorrentHandle {
        final InfoHash infoHash;
        final TorrentMetainfo metainfo;
        final String name;
        final AddOptions options;
        final Map<Integer, Priority> filePriorities = new ConcurrentHashMap<>();
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile TorrentState state;
        volatile long wanted;
        volatile long verified;
        volatile long downloadRate;
        volatile List<io.piecework.api.engine.PeerInfo> peers = List.of();
        volatile List<io.piecework.api.engine.TrackerInfo> trackers = List.of();
        volatile byte[] pieces = new byte[0];
        private final FakeEngine engine;

        FakeHandle(FakeEngine engine, InfoHash infoHash, TorrentMetainfo metainfo, String name, AddOptions options) {
            this.engine = engine;
            this.infoHash = infoHash;
            this.metainfo = metainfo;
            this.name = name;
            this.options = options;
            this.state = options.paused() ? TorrentState.STOPPED : TorrentState.DOWNLOADING;
            this.wanted = metainfo == null ? 0 : metainfo.totalSize();
        }

        @Override public InfoHash infoHash() { return infoHash; }
        @Override public TorrentMetainfo metainfo() { return metainfo; }
        @Override public void start() { calls.add("start"); state = TorrentState.DOWNLOADING; }
        @Override public void stop() { calls.add("stop"); state = TorrentState.STOPPED; }
        @Override public void pause() { calls.add("pause"); }
        @Override public CompletableFuture<Void> remove(boolean deleteData) {
            calls.add("remove " + deleteData);
            engine.torrents.remove(this);
            return CompletableFuture.completedFuture(null);
        }
        @Override public void connect(InetSocketAddress peer) { }
        @Override public void filePriority(int fileIndex, Priority priority) { filePriorities.put(fileIndex, priority); }
        volatile io.piecework.api.engine.RateLimits limits = io.piecework.api.engine.RateLimits.UNLIMITED;
        @Override public void rateLimits(io.piecework.api.engine.RateLimits l) { limits = l; }
        @Override public io.piecework.api.engine.RateLimits rateLimits() { return limits; }
        volatile boolean sequential;
        @Override public void sequential(boolean on) { sequential = on; }
        @Override public boolean sequential() { return sequential; }
        @Override public List<Priority> filePriorities() {
            return metainfo == null ? List.of() : java.util.stream.IntStream.range(0, metainfo.files().size())
                    .mapToObj(f -> filePriorities.getOrDefault(f, Priority.NORMAL)).toList();
        }
        @Override public void piecePriority(int piece, Priority priority) { }
        @Override public CompletableFuture<Void> completion() { return new CompletableFuture<>(); }
        @Override public List<io.piecework.api.engine.PeerInfo> peers() { return peers; }
        @Override public List<io.piecework.api.engine.TrackerInfo> trackers() { return trackers; }
        @Override public byte[] verifiedPieces() { return pieces; }
        @Override public java.nio.file.Path downloadDir() { return options.downloadDir(); }
        /** What verify() returns: done at once unless a test holds the check. */
        volatile java.util.function.Supplier<CompletableFuture<Void>> checking = () -> CompletableFuture.completedFuture(null);
        @Override public CompletableFuture<Void> verify() {
            calls.add("verify");
            return checking.get();
        }

        @Override
        public TorrentStats stats() {
            int pieces = metainfo == null ? 0 : metainfo.pieceCount();
            return new TorrentStats(infoHash, name, state, pieces, 0, wanted, verified, verified, 0, downloadRate, 0,
                    2, 1, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                    state == TorrentState.ERROR ? Optional.of("disk full") : Optional.empty());
        }
    }

    @Override
    public TorrentHandle add(TorrentMetainfo metainfo, AddOptions options) {
        return find(metainfo.infoHash()).orElseGet(() -> added(new FakeHandle(this, metainfo.infoHash(), metainfo,
                metainfo.name(), options)));
    }

    @Override
    public TorrentHandle add(MagnetLink magnet, AddOptions options) {
        return find(magnet.infoHash()).orElseGet(() -> added(new FakeHandle(this, magnet.infoHash(), null,
                magnet.displayName().orElse(magnet.infoHash().hex()), options)));
    }

    private TorrentHandle added(FakeHandle h) {
        torrents.add(h);
        return h;
    }

    FakeHandle only() {
        if (torrents.size() != 1) {
            throw new AssertionError("expected one torrent, have " + torrents.size());
        }
        return torrents.get(0);
    }

    @Override
    public Optional<TorrentHandle> find(InfoHash infoHash) {
        return torrents.stream().filter(t -> t.infoHash.equals(infoHash)).map(t -> (TorrentHandle) t).findFirst();
    }

    @Override
    public Optional<TorrentHandle> find(String infoHashPrefix) {
        return torrents.stream().filter(t -> t.infoHash.hex().startsWith(infoHashPrefix)).map(t -> (TorrentHandle) t)
                .findFirst();
    }

    @Override
    public List<TorrentHandle> torrents() {
        return new ArrayList<>(torrents);
    }

    @Override
    public EngineStats stats() {
        return new EngineStats(torrents.size(), 0, 100, 50, 10, 5);
    }

    @Override
    public int listenPort() {
        return 6881;
    }

    @Override
    public Optional<String> strategy() {
        return Optional.of("fake");
    }
}
