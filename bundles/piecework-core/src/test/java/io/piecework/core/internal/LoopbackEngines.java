package io.piecework.core.internal;

import io.piecework.storage.file.internal.FileStorageProvider;
import io.piecework.storage.file.internal.Settings;
import io.piecework.strategy.naive.NaiveStrategy;
import io.piecework.wire.internal.NettyPeerTransport;
import io.piecework.wire.internal.TransportSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.roaringbitmap.RoaringBitmap;

/**
 * Engines for tests, wired by hand as DS wires them: a Netty transport on loopback, file
 * storage with its state under the test's folder, the naive strategy. Registered as a JUnit
 * extension, it closes them all after each test (before the test's folder is deleted).
 */
final class LoopbackEngines implements AutoCloseable, AfterEachCallback {
    /** The test's folder, read when an engine starts: JUnit fills it in after construction. */
    private final Supplier<Path> dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    LoopbackEngines(Supplier<Path> dir) {
        this.dir = dir;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        close();
    }

    Engine engine(String name) throws Exception {
        return engine(name, new EngineSettings(50, 500, 4, 10, 2));
    }

    Engine engine(String name, EngineSettings settings) throws Exception {
        NettyPeerTransport transport = new NettyPeerTransport(
                TransportSettings.defaults().withListen("127.0.0.1", 0), RoaringBitmap::new);
        open.add(transport);
        FileStorageProvider storage = new FileStorageProvider(Settings.DEFAULTS.withStateDir(dir.get().resolve(name + "-state")));
        open.add(storage::close);
        Engine engine = new Engine(transport, settings);
        open.add(engine);
        engine.useStorage(storage);
        engine.useStrategy(new NaiveStrategy(), "naive");
        return engine;
    }

    /**
     * Whether {@code condition} became true within {@code millis}. For state the engine
     * announces no event for (a peer learned, a connection made).
     */
    static boolean within(long millis, BooleanSupplier condition) {
        try {
            Awaitility.await().pollInSameThread().pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(20)).atMost(Duration.ofMillis(millis))
                    .until(condition::getAsBoolean);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }
}
