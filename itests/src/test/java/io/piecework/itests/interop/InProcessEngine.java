package io.piecework.itests.interop;

import io.piecework.core.internal.Engine;
import io.piecework.storage.file.internal.FileStorageProvider;
import io.piecework.storage.file.internal.Settings;
import io.piecework.api.strategy.RequestStrategy;
import io.piecework.strategy.batched.BatchedStrategy;
import io.piecework.strategy.cached.CachedStrategy;
import io.piecework.strategy.naive.NaiveStrategy;
import io.piecework.wire.internal.NettyPeerTransport;
import io.piecework.wire.internal.TransportSettings;
import io.piecework.wire.mse.MsePolicy;
import java.nio.file.Path;
import org.roaringbitmap.RoaringBitmap;

/**
 * A whole Piecework engine outside OSGi, wired by hand the way DS wires it in Felix: Netty
 * transport on loopback, file storage, and the request strategy named by the system property
 * {@code piecework.strategy} (naive, cached or batched; default naive), so the interop tests
 * can run against each. (The Pax Exam tests run the same bundles inside Felix.)
 */
final class InProcessEngine implements AutoCloseable {
    final Engine engine;
    private final NettyPeerTransport transport;
    private final FileStorageProvider storage;
    private BatchedStrategy batched;

    InProcessEngine(Path stateDir) throws Exception {
        this(stateDir, false);
    }

    /** @param sendFromFiles seeding sends blocks with sendfile instead of copying them */
    InProcessEngine(Path stateDir, boolean sendFromFiles) throws Exception {
        transport = new NettyPeerTransport(TransportSettings.defaults().withListen("127.0.0.1", 0), RoaringBitmap::new);
        storage = new FileStorageProvider(Settings.DEFAULTS.withStateDir(stateDir));
        engine = new Engine(transport, sendFromFiles);
        engine.useStorage(storage);
        String name = System.getProperty("piecework.strategy", "naive");
        engine.useStrategy(strategy(name), name);
    }

    private RequestStrategy strategy(String name) {
        switch (name) {
            case "cached":
                return new CachedStrategy();
            case "batched":
                batched = new BatchedStrategy(10);
                return batched;
            default:
                return new NaiveStrategy();
        }
    }

    /** Sets the transport's encryption policy for new connections (as the configuration's @Modified does). */
    InProcessEngine encryption(MsePolicy policy) {
        transport.encryption(policy);
        return this;
    }

    int port() {
        return engine.listenPort();
    }

    /** The engine-wide limits, as the engine's configuration sets them in Felix. */
    void limitRates(long downloadBytesPerSecond, long uploadBytesPerSecond) {
        transport.limitRates(downloadBytesPerSecond, uploadBytesPerSecond);
    }

    @Override
    public void close() {
        engine.close();
        if (batched != null) {
            batched.deactivate();
        }
        storage.close();
        transport.close();
    }
}
