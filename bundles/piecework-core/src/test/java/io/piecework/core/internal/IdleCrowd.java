package io.piecework.core.internal;

import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.metainfo.TorrentCreator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The idle-slot attack of issue 10: connections that send a handshake and then keep-alives
 * only (every 500 ms), until closed. A connection the seeder closes stays closed.
 */
final class IdleCrowd implements AutoCloseable {
    final List<FakePeer> peers = new ArrayList<>();
    private final ScheduledExecutorService keepAlives = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "keep-alives");
        t.setDaemon(true);
        return t;
    });

    IdleCrowd(Engine seeder, TorrentMetainfo meta, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            peers.add(FakePeer.dial(seeder.listenPort(), meta.infoHash(), meta.pieceCount()));
        }
        keepAlives.scheduleWithFixedDelay(() -> {
            for (FakePeer p : peers) {
                try {
                    p.keepAlive();
                } catch (IOException e) {
                    // Closed by the seeder: that is what it may do.
                }
            }
        }, 0, 500, TimeUnit.MILLISECONDS);
    }

    /** A 1 MB single-file torrent of 32 KiB pieces, its data written below {@code dir/seed}. */
    static TorrentMetainfo torrent(Path dir) throws Exception {
        Path data = dir.resolve("seed/data.bin");
        byte[] b = new byte[1_000_000];
        new Random(5).nextBytes(b);
        Files.createDirectories(data.getParent());
        Files.write(data, b);
        return TorrentCreator.create(new CreateRequest(data, 32 * 1024, List.of(), List.of(), false, null, 1),
                CreateProgress.NONE);
    }

    long closed() {
        return peers.stream().filter(p -> p.closed).count();
    }

    @Override
    public void close() throws IOException {
        keepAlives.shutdownNow();
        for (FakePeer p : peers) {
            p.close();
        }
    }
}
