package io.piecework.itests.interop;

import io.piecework.core.internal.Engine;
import io.piecework.storage.file.internal.FileStorageProvider;
import io.piecework.storage.file.internal.Settings;
import io.piecework.strategy.naive.NaiveStrategy;
import io.piecework.wire.internal.NettyPeerTransport;
import io.piecework.wire.internal.TransportSettings;
import java.nio.file.Path;
import org.roaringbitmap.RoaringBitmap;

/**
 * A whole Piecework engine outside OSGi, wired by hand the way DS wires it in Felix: Netty
 * transport on loopback, file storage, naive strategy. (The Pax Exam tests run the same
 * bundles inside Felix.)
 */
final class InProcessEngine implements AutoCloseable {
    final Engine engine;
    private final NettyPeerTransport transport;
    private final FileStorageProvider storage;

    InProcessEngine(Path stateDir) throws Exception {
        transport = new NettyPeerTransport(TransportSettings.defaults().withListen("127.0.0.1", 0), RoaringBitmap::new);
        storage = new FileStorageProvider(Settings.DEFAULTS.withStateDir(stateDir));
        engine = new Engine(transport);
        engine.useStorage(storage);
        engine.useStrategy(new NaiveStrategy(), "naive");
    }

    int port() {
        return engine.listenPort();
    }

    @Override
    public void close() {
        engine.close();
        storage.close();
        transport.close();
    }
}
