package io.piecework.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.EngineStats;
import io.piecework.api.engine.Priority;
import io.piecework.api.engine.TorrentEngine;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentState;
import io.piecework.api.engine.TorrentStats;
import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.MagnetLink;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.metainfo.internal.MetainfoComponent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code get --sequential}: the torrent is added stopped, set sequential, then started, so no request precedes it. */
class GetSequentialTest {
    @TempDir
    Path dir;
    private final List<String> calls = new ArrayList<>();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** A torrent that records what is asked of it and is complete at once. */
    private final class Recorded implements TorrentHandle {
        private final TorrentMetainfo meta;

        Recorded(TorrentMetainfo meta, AddOptions options) {
            this.meta = meta;
            calls.add(options.paused() ? "add stopped" : "add started");
        }

        @Override public InfoHash infoHash() { return meta.infoHash(); }
        @Override public TorrentMetainfo metainfo() { return meta; }
        @Override public void start() { calls.add("start"); }
        @Override public void stop() { calls.add("stop"); }
        @Override public void pause() { }
        @Override public CompletableFuture<Void> remove(boolean deleteData) { return CompletableFuture.completedFuture(null); }
        @Override public void connect(InetSocketAddress peer) { }
        @Override public void filePriority(int fileIndex, Priority priority) { }
        @Override public void piecePriority(int piece, Priority priority) { }
        @Override public void sequential(boolean on) { calls.add("sequential " + on); }
        @Override public CompletableFuture<Void> completion() { return CompletableFuture.completedFuture(null); }
        @Override public TorrentStats stats() {
            return new TorrentStats(meta.infoHash(), meta.name(), TorrentState.SEEDING, 1, 1, 10, 10, 10, 0, 0, 0, 0, 0,
                    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Optional.empty());
        }
    }

    private final class Engine implements TorrentEngine {
        @Override public TorrentHandle add(TorrentMetainfo metainfo, AddOptions options) { return new Recorded(metainfo, options); }
        @Override public TorrentHandle add(MagnetLink magnet, AddOptions options) { throw new UnsupportedOperationException(); }
        @Override public Optional<TorrentHandle> find(InfoHash infoHash) { return Optional.empty(); }
        @Override public Optional<TorrentHandle> find(String prefix) { return Optional.empty(); }
        @Override public List<TorrentHandle> torrents() { return List.of(); }
        @Override public EngineStats stats() { return new EngineStats(0, 0, 0, 0, 0, 0); }
        @Override public int listenPort() { return -1; }
        @Override public Optional<String> strategy() { return Optional.empty(); }
    }

    private int get(String... args) {
        GetCommand get = new GetCommand(new MetainfoComponent());
        get.bindEngine(new Engine());
        CliRunner runner = new CliRunner();
        runner.addSubcommand(get);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        return runner.run(List.of(args), new Io(e, e, false, dir));
    }

    private void torrentFile() throws Exception {
        Path data = dir.resolve("data.bin");
        Files.write(data, new byte[10]);
        MetainfoComponent metainfo = new MetainfoComponent();
        Files.write(dir.resolve("x.torrent"), metainfo.encode(metainfo.create(CreateRequest.of(data), CreateProgress.NONE)));
    }

    @Test
    void sequentialIsSetBeforeTheTorrentStarts() throws Exception {
        torrentFile();
        assertEquals(0, get("get", "x.torrent", "-o", "out", "--sequential"), err.toString(StandardCharsets.UTF_8));
        assertEquals(List.of("add stopped", "sequential true", "start"), calls);
    }

    @Test
    void withoutItTheTorrentStartsAsAdded() throws Exception {
        torrentFile();
        assertEquals(0, get("get", "x.torrent", "-o", "out"), err.toString(StandardCharsets.UTF_8));
        assertEquals(List.of("add started"), calls);
    }

    @Test
    void aMagnetWithSequentialIsBadInputWithAWayOut() {
        assertEquals(2, get("get", "magnet:?xt=urn:btih:" + "ab".repeat(20), "--sequential"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("give the .torrent"), err.toString(StandardCharsets.UTF_8));
        assertEquals(List.of(), calls);
    }
}
