package io.piecework.itests.interop;

import static io.piecework.itests.interop.SeededPayload.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.core.internal.Engine;
import io.piecework.core.internal.Transports;
import io.piecework.metainfo.MagnetLinks;
import io.piecework.storage.file.internal.FileStorageProvider;
import io.piecework.storage.file.internal.Settings;
import io.piecework.strategy.naive.NaiveStrategy;
import io.piecework.transport.utp.internal.UtpPeerTransport;
import io.piecework.transport.utp.internal.UtpSettings;
import io.piecework.wire.internal.NettyPeerTransport;
import io.piecework.wire.internal.TransportSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/**
 * The engine over uTP against libtorrent 2.0.8 with TCP switched off on its side, wired as DS
 * wires it in Felix: the TCP transport, the uTP transport on the same port number, both behind
 * {@link Transports}. Piecework downloads from a uTP-only seeder it knows only as a --peer (TCP
 * is tried first and fails, then uTP), a uTP-only libtorrent downloads from Piecework (it dials
 * our UDP port), and a magnet link gets its metadata over uTP; files byte-identical.
 */
class UtpEngineInteropTest {
    static final long MIB = 1 << 20;

    @TempDir
    static Path shared;
    static SeededPayload payload;

    @TempDir
    Path dir;

    @BeforeAll
    static void makePayload() throws Exception {
        payload = SeededPayload.create(shared, 256 * 1024, root -> {
            Payloads.file(root.resolve("video.mkv"), 24 * MIB + 12_345, 21);
            Payloads.file(root.resolve("extras/notes.txt"), 3 * MIB - 777, 22);
        });
    }

    /** An engine with TCP and uTP, as the distribution runs it. */
    private static final class TwoTransportEngine implements AutoCloseable {
        final NettyPeerTransport tcp;
        final UtpPeerTransport utp;
        final FileStorageProvider storage;
        final Engine engine;

        TwoTransportEngine(Path stateDir) throws Exception {
            tcp = new NettyPeerTransport(TransportSettings.defaults().withListen("127.0.0.1", 0), RoaringBitmap::new);
            utp = new UtpPeerTransport(UtpSettings.defaults().withListen("127.0.0.1", 0), tcp.localPeerId(),
                    tcp.port(), RoaringBitmap::new);
            Transports transports = new Transports(tcp, Transports.TCP);
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

    @Test
    void pieceworkDownloadsFromAUtpOnlyLibtorrentSeederKnownOnlyByItsPort() throws Exception {
        try (LibtorrentNode seeder = payload.libtorrentSeed("--utp-only");
             TwoTransportEngine leecher = new TwoTransportEngine(dir.resolve("state"))) {
            TorrentHandle t = leecher.engine.add(payload.meta(), AddOptions.in(dir.resolve("down"))
                    .withPeers(List.of(loopback(seeder.port))));
            t.completion().get(240, TimeUnit.SECONDS);
            payload.assertSameFiles(dir.resolve("down"));
            assertEquals(0, leecher.utp.malformed(), "every datagram libtorrent sent was uTP we read");
        }
    }

    @Test
    void aUtpOnlyLibtorrentDownloadsFromPiecework() throws Exception {
        try (TwoTransportEngine seeder = new TwoTransportEngine(dir.resolve("state"))) {
            assertEquals(seeder.tcp.port(), seeder.utp.port(), "uTP listens on the TCP port's number, as libtorrent");
            TorrentHandle t = seeder.engine.add(payload.meta(), AddOptions.in(payload.seedDir()));
            t.completion().get(120, TimeUnit.SECONDS);
            try (LibtorrentNode leecher = payload.libtorrentLeech(dir.resolve("lt"), "--utp-only",
                    "--peer", Integer.toString(seeder.utp.port()))) {
                leecher.await("DONE", 240);
            }
            payload.assertSameFiles(dir.resolve("lt"));
        }
    }

    @Test
    void aMagnetLinkGetsItsMetadataAndFilesOverUtp() throws Exception {
        try (LibtorrentNode seeder = payload.libtorrentSeed("--utp-only");
             TwoTransportEngine leecher = new TwoTransportEngine(dir.resolve("state"))) {
            TorrentHandle t = leecher.engine.add(
                    MagnetLinks.parse("magnet:?xt=urn:btih:" + payload.meta().infoHash().hex()),
                    AddOptions.in(dir.resolve("down")).withPeers(List.of(loopback(seeder.port))));
            t.completion().get(240, TimeUnit.SECONDS);
            assertEquals(payload.meta().infoHash(), t.metainfo().infoHash());
            payload.assertSameFiles(dir.resolve("down"));
        }
    }
}
