package io.piecework.itests.interop;

import io.piecework.core.internal.Engine;
import io.piecework.core.internal.Transports;
import io.piecework.storage.file.internal.FileStorageProvider;
import io.piecework.storage.file.internal.Settings;
import io.piecework.strategy.naive.NaiveStrategy;
import io.piecework.transport.utp.internal.UtpPeerTransport;
import io.piecework.transport.utp.internal.UtpSettings;
import io.piecework.wire.internal.NettyPeerTransport;
import io.piecework.wire.internal.TransportSettings;
import java.nio.file.Path;
import org.roaringbitmap.RoaringBitmap;

/**
 * An engine with TCP and uTP, as the distribution runs it: the uTP transport on the TCP port's
 * number, both behind {@link Transports} in the default order (TCP, then uTP), and each with
 * the default encryption policy (prefer plaintext, retry encrypted).
 */
final class TwoTransportEngine implements AutoCloseable {
    final NettyPeerTransport tcp;
    final UtpPeerTransport utp;
    final Transports transports;
    final FileStorageProvider storage;
    final Engine engine;

    TwoTransportEngine(Path stateDir) throws Exception {
        tcp = new NettyPeerTransport(TransportSettings.defaults().withListen("127.0.0.1", 0), RoaringBitmap::new);
        utp = new UtpPeerTransport(UtpSettings.defaults().withListen("127.0.0.1", 0), tcp.localPeerId(),
                tcp.port(), RoaringBitmap::new);
        transports = new Transports(tcp, Transports.TCP);
        transports.add(Transports.UTP, utp);
        storage = new FileStorageProvider(Settings.DEFAULTS.withStateDir(stateDir));
        engine = new Engine(transports, false);
        engine.useStorage(storage);
        engine.useStrategy(new NaiveStrategy(), "naive");
    }

    @Override
    public void close() {
        engine.close();
        storage.close();
        utp.close();
        tcp.close();
    }
}
