package io.piecework.benchmarks.engine;

import io.piecework.core.internal.Engine;
import io.piecework.storage.file.internal.FileStorageProvider;
import io.piecework.storage.file.internal.Settings;
import io.piecework.strategy.batched.BatchedStrategy;
import io.piecework.strategy.cached.CachedStrategy;
import io.piecework.strategy.naive.NaiveStrategy;
import io.piecework.wire.internal.NettyPeerTransport;
import io.piecework.wire.internal.TransportSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.roaringbitmap.RoaringBitmap;

/**
 * A Piecework engine wired by hand as DS wires it: Netty transport on loopback, file storage,
 * naive strategy. The comparisons against libtorrent run it in their own JVM, no framework.
 */
final class Piecework implements AutoCloseable {
    final Engine engine;
    final NettyPeerTransport transport;
    final FileStorageProvider storage;

    Piecework(Path stateDir) throws IOException {
        this(stateDir, true);
    }

    /** @param sendFromFiles uploads go out with sendfile where they can, or are all copied */
    Piecework(Path stateDir, boolean sendFromFiles) throws IOException {
        transport = new NettyPeerTransport(TransportSettings.defaults().withListen("127.0.0.1", 0),
                RoaringBitmap::new);
        storage = new FileStorageProvider(Settings.DEFAULTS.withStateDir(stateDir)
                .withHashThreads(Integer.getInteger("piecework.hashThreads", 0)));
        engine = new Engine(transport, sendFromFiles);
        engine.useStorage(storage);
        // -Dpiecework.strategy=cached|batched compares strategies; naive by default, as measured so far.
        String strategy = System.getProperty("piecework.strategy", "naive");
        engine.useStrategy(switch (strategy) {
            case "cached" -> new CachedStrategy();
            case "batched" -> new BatchedStrategy(10);
            default -> new NaiveStrategy();
        }, strategy);
    }

    @Override
    public void close() {
        engine.close();
        storage.close();
        transport.close();
    }

    /** Deletes a benchmark's work folder, deepest paths first. */
    static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
