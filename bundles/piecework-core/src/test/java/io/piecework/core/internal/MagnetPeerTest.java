package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.metainfo.MagnetLinks;
import io.piecework.metainfo.TorrentCreator;
import io.piecework.wire.MetadataMessage;
import io.piecework.transport.PeerConnection;
import io.piecework.transport.PeerTransport;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/** A connection made before the metadata: what it answers, and what is checked once the piece count is known. */
class MagnetPeerTest {
    @TempDir
    Path dir;
    private Engine engine;
    private TorrentMetainfo meta;
    private final List<String> sent = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        PeerTransport transport = (PeerTransport) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {PeerTransport.class}, (proxy, m, args) -> m.getName().equals("port") ? 6881 : null);
        engine = new Engine(transport);
        Files.write(dir.resolve("f.bin"), new byte[100 * 16 * 1024]);
        meta = TorrentCreator.create(new CreateRequest(dir.resolve("f.bin"), 16 * 1024, List.of(), List.of(), false,
                null, 1), CreateProgress.NONE);
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    /** Records every call made on it by name (and the close reason or metadata message type). */
    private PeerConnection connection() {
        return (PeerConnection) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {PeerConnection.class}, (proxy, m, args) -> {
                    switch (m.getName()) {
                        case "remoteAddress":
                            return new InetSocketAddress("127.0.0.1", 7000);
                        case "fastExtension":
                            return true;
                        case "close":
                            sent.add("close " + args[0]);
                            return null;
                        case "metadata":
                            sent.add("metadata " + ((MetadataMessage) args[0]).type());
                            return true;
                        case "toString":
                            return "fake";
                        default:
                            sent.add(m.getName());
                            return m.getReturnType() == boolean.class ? false : null;
                    }
                });
    }

    private MagnetPeer peer() throws Exception {
        MagnetTorrent magnet = new MagnetTorrent(engine, MagnetLinks.parse("magnet:?xt=urn:btih:" + meta.infoHash().hex()),
                dir.resolve("down"));
        return new MagnetPeer(magnet, connection());
    }

    @Test
    void aBitfieldBeyondThePieceCountClosesTheConnectionWhenTheCountIsLearned() throws Exception {
        MagnetPeer p = peer();
        RoaringBitmap bits = new RoaringBitmap();
        bits.add(3);
        bits.add(meta.pieceCount() + 2); // the codec let it by: the count was unknown
        p.onBitfield(bits);
        assertFalse(p.adopt(new Torrent(engine, meta, dir.resolve("down"))));
        assertTrue(sent.contains("pieceCount"), "the codec is told the piece count");
        assertTrue(sent.stream().anyMatch(s -> s.startsWith("close announced piece " + (meta.pieceCount() + 2))), sent.toString());
    }

    @Test
    void beforeTheMetadataRequestsForBlocksAndMetadataAreRejected() throws Exception {
        MagnetPeer p = peer();
        p.onRequest(0, 0, 16384);
        p.onMetadata(MetadataMessage.request(0));
        assertEquals(List.of("rejectRequest", "metadata " + MetadataMessage.REJECT), sent);
    }

    @Test
    void aPeerThatClosedBeforeTheHandOverIsNotAdopted() throws Exception {
        MagnetPeer p = peer();
        p.onClosed("gone");
        assertFalse(p.adopt(new Torrent(engine, meta, dir.resolve("down"))));
        assertFalse(sent.contains("pieceCount"));
    }
}
