package io.piecework.itests.interop;

import static io.piecework.itests.interop.SeededPayload.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.core.internal.Transports;
import io.piecework.metainfo.MagnetLinks;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
