package io.piecework.session.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.EngineStats;
import io.piecework.api.engine.Priority;
import io.piecework.api.engine.TorrentEngine;
import io.piecework.api.engine.TorrentEvent;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentState;
import io.piecework.api.engine.TorrentStats;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.MagnetLink;
import io.piecework.api.metainfo.TorrentMetainfo;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * An engine whose torrents start and stop at once and emit the events a real engine emits, for
 * the queue's tests; a torrent is complete (seeds when started) or not as the test says.
 */
final class QueueFakes implements TorrentEngine {
    final List<Fake> torrents = new ArrayList<>();
    Consumer<TorrentEvent> listener = e -> { };

    final class Fake implements TorrentHandle {
        final InfoHash hash;
        final boolean complete;
        TorrentState state = TorrentState.STOPPED;
        long uploaded;
        int starts;
        /** Its storage opened once: before that, as in the engine, its pieces are unknown (0). */
        boolean loaded;

        Fake(int n, boolean complete) {
            byte[] b = new byte[20];
            b[19] = (byte) n;
            this.hash = InfoHash.of(b);
            this.complete = complete;
        }

        void set(TorrentState next) {
            state = next;
            listener.accept(new TorrentEvent(TorrentEvent.Kind.STATE_CHANGED, hash, next, -1, ""));
        }

        @Override public InfoHash infoHash() { return hash; }
        @Override public TorrentMetainfo metainfo() { return null; }
        @Override public void start() {
            if (state == TorrentState.STOPPED || state == TorrentState.ERROR) {
                starts++;
                loaded = true;
                set(complete ? TorrentState.SEEDING : TorrentState.DOWNLOADING);
            }
        }
        @Override public void stop() {
            if (state != TorrentState.STOPPED) {
                set(TorrentState.STOPPED);
            }
        }
        @Override public void pause() { }
        @Override public CompletableFuture<Void> remove(boolean deleteData) {
            stop();
            torrents.remove(this);
            listener.accept(new TorrentEvent(TorrentEvent.Kind.REMOVED, hash, state, -1, ""));
            return CompletableFuture.completedFuture(null);
        }
        @Override public void connect(InetSocketAddress peer) { }
        @Override public void filePriority(int fileIndex, Priority priority) { }
        @Override public void piecePriority(int piece, Priority priority) { }
        @Override public CompletableFuture<Void> completion() { return new CompletableFuture<>(); }
        @Override public TorrentStats stats() {
            long size = 1000;
            boolean have = complete && loaded;
            return new TorrentStats(hash, "t" + hash.hex().substring(38), state, 1, have ? 1 : 0, size,
                    have ? size : 0, 0, uploaded, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Optional.empty());
        }
    }

    /** Adds a torrent as a client would: the ADDED event, then started unless paused. */
    Fake add(int n, boolean complete, boolean paused) {
        Fake f = new Fake(n, complete);
        torrents.add(f);
        listener.accept(new TorrentEvent(TorrentEvent.Kind.ADDED, f.hash, TorrentState.STOPPED, -1, ""));
        if (!paused) {
            f.start();
        }
        return f;
    }

    @Override public TorrentHandle add(TorrentMetainfo metainfo, AddOptions options) { throw new UnsupportedOperationException(); }
    @Override public TorrentHandle add(MagnetLink magnet, AddOptions options) { throw new UnsupportedOperationException(); }
    @Override public Optional<TorrentHandle> find(InfoHash infoHash) {
        return torrents.stream().filter(t -> t.hash.equals(infoHash)).map(t -> (TorrentHandle) t).findFirst();
    }
    @Override public Optional<TorrentHandle> find(String prefix) { return Optional.empty(); }
    @Override public List<TorrentHandle> torrents() { return new ArrayList<>(torrents); }
    @Override public EngineStats stats() { return new EngineStats(torrents.size(), 0, 0, 0, 0, 0); }
    @Override public int listenPort() { return -1; }
    @Override public Optional<String> strategy() { return Optional.empty(); }

    /** Runs what the session's thread would, in order, until nothing is left. */
    static void drain(Queue<Runnable> tasks) {
        for (int i = 0; !tasks.isEmpty(); i++) {
            assertTrue(i < 1000, "the queue keeps rescheduling itself");
            tasks.poll().run();
        }
    }
}
