package io.piecework.rpc.transmission.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.piecework.api.engine.PeerInfo;
import io.piecework.api.engine.TrackerInfo;
import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.MetainfoService;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.metainfo.internal.MetainfoComponent;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** torrent-get's peers, trackerStats and pieces, shaped as Transmission sends them, from a fake engine. */
class PeerFieldsTest {
    private static final MetainfoService METAINFO = new MetainfoComponent();
    private static final String HOSTILE = "<script>alert(1)</script>&amp;\u202Egnp.exe";
    @TempDir
    Path dir;
    private FakeEngine engine;
    private RpcDispatcher rpc;

    @BeforeEach
    void setUp() throws Exception {
        engine = new FakeEngine();
        TorrentBook book = new TorrentBook(Clock.systemUTC());
        Ids ids = new Ids(EngineRef.of(engine), book);
        SessionSettings downloads = new SessionSettings(dir.resolve("downloads"));
        rpc = new RpcDispatcher(new TorrentAdd(EngineRef.of(engine), METAINFO, book, downloads),
                new TorrentMethods(ids, new TorrentFields(METAINFO), book),
                new SessionMethods(EngineRef.of(engine), ids, book, downloads, "sid", new FakeLimits()));
        Path file = dir.resolve("src/one.bin");
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[100_000]);
        TorrentMetainfo meta = METAINFO.create(CreateRequest.of(file), CreateProgress.NONE);
        String b64 = Base64.getEncoder().encodeToString(METAINFO.encode(meta));
        call("torrent-add", "{\"metainfo\":\"" + b64 + "\"}");
    }

    private JsonObject call(String method, String arguments) {
        return JsonParser.parseString(rpc.handle("{\"method\":\"" + method + "\",\"arguments\":" + arguments + "}"))
                .getAsJsonObject();
    }

    private JsonObject torrent(String fields) {
        JsonObject answer = call("torrent-get", "{\"fields\":[" + fields + "]}");
        assertEquals("success", answer.get("result").getAsString());
        return answer.getAsJsonObject("arguments").getAsJsonArray("torrents").get(0).getAsJsonObject();
    }

    @Test
    void peersCarryTransmissionsNamesAndFlags() {
        engine.torrents.get(0).peers = List.of(
                new PeerInfo(new InetSocketAddress("127.0.0.1", 6881), HOSTILE, 2048, 512,
                        false, true, false, true, true, true, false, 3, 12, true),
                new PeerInfo(new InetSocketAddress("::1", 51413), "Transmission 3.00", 0, 0,
                        true, true, true, false, false, false, true, 12, 12));
        JsonObject t = torrent("\"peers\",\"peersConnected\"");
        JsonArray peers = t.getAsJsonArray("peers");
        assertEquals(2, peers.size());
        JsonObject p = peers.get(0).getAsJsonObject();
        assertEquals("127.0.0.1", p.get("address").getAsString());
        assertEquals(6881, p.get("port").getAsInt());
        assertEquals(HOSTILE, p.get("clientName").getAsString(), "as sent: the page escapes it");
        assertEquals(2048, p.get("rateToClient").getAsLong());
        assertEquals(512, p.get("rateToPeer").getAsLong());
        assertEquals(0.25, p.get("progress").getAsDouble(), 1e-9);
        assertTrue(p.get("isEncrypted").getAsBoolean());
        assertTrue(p.get("isIncoming").getAsBoolean());
        assertTrue(p.get("isUTP").getAsBoolean(), "a uTP connection says so");
        assertFalse(peers.get(1).getAsJsonObject().get("isUTP").getAsBoolean());
        assertFalse(p.get("clientIsChoked").getAsBoolean());
        assertTrue(p.get("clientIsInterested").getAsBoolean());
        assertFalse(p.get("peerIsChoked").getAsBoolean());
        assertTrue(p.get("peerIsInterested").getAsBoolean());
        assertEquals("TDUEI", p.get("flagStr").getAsString());
        JsonObject seed = peers.get(1).getAsJsonObject();
        assertEquals("0:0:0:0:0:0:0:1", seed.get("address").getAsString());
        assertEquals(1.0, seed.get("progress").getAsDouble());
        assertEquals("d", seed.get("flagStr").getAsString(), "interested, choked by it; it wants nothing");
    }

    @Test
    void trackerStatsSayEachTrackersLastAnnounce() {
        engine.torrents.get(0).trackers = List.of(
                new TrackerInfo("http://tracker.example:8080/announce", 0, 1_700_000_000_123L, true, "Success", 5, 3, 9),
                new TrackerInfo("udp://other.example/announce", 1, 1_700_000_001_000L, false, HOSTILE, 0, -1, -1),
                TrackerInfo.unannounced("not a url", 2));
        JsonArray stats = torrent("\"trackerStats\"").getAsJsonArray("trackerStats");
        assertEquals(3, stats.size());
        JsonObject ok = stats.get(0).getAsJsonObject();
        assertEquals("http://tracker.example:8080/announce", ok.get("announce").getAsString());
        assertEquals("http://tracker.example:8080", ok.get("host").getAsString());
        assertEquals(1_700_000_000L, ok.get("lastAnnounceTime").getAsLong());
        assertTrue(ok.get("lastAnnounceSucceeded").getAsBoolean());
        assertTrue(ok.get("hasAnnounced").getAsBoolean());
        assertEquals("Success", ok.get("lastAnnounceResult").getAsString());
        assertEquals(5, ok.get("lastAnnouncePeerCount").getAsInt());
        assertEquals(3, ok.get("seederCount").getAsInt());
        assertEquals(9, ok.get("leecherCount").getAsInt());
        JsonObject failed = stats.get(1).getAsJsonObject();
        assertFalse(failed.get("lastAnnounceSucceeded").getAsBoolean());
        assertEquals(HOSTILE, failed.get("lastAnnounceResult").getAsString());
        assertEquals("udp://other.example:80", failed.get("host").getAsString());
        assertEquals(1, failed.get("tier").getAsInt());
        JsonObject never = stats.get(2).getAsJsonObject();
        assertFalse(never.get("hasAnnounced").getAsBoolean());
        assertEquals("not a url", never.get("host").getAsString());
        assertEquals(-1, never.get("seederCount").getAsInt());
    }

    @Test
    void piecesAreTheBitfieldInBase64WithCountAndSize() {
        byte[] bits = {(byte) 0b1010_0000, 0};
        engine.torrents.get(0).pieces = bits;
        JsonObject t = torrent("\"pieces\",\"pieceCount\",\"pieceSize\"");
        assertArrayEquals(bits, Base64.getDecoder().decode(t.get("pieces").getAsString()));
        assertTrue(t.has("pieceCount"));
        assertTrue(t.get("pieceSize").getAsLong() > 0);
    }
}
