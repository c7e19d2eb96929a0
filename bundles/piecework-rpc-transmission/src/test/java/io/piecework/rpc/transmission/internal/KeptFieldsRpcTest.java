package io.piecework.rpc.transmission.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.Priority;
import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.MetainfoService;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.metainfo.internal.MetainfoComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code labels} and {@code sequentialDownload} over the RPC, and file choices that follow the engine. */
class KeptFieldsRpcTest {
    private static final MetainfoService METAINFO = new MetainfoComponent();
    @TempDir
    Path dir;
    private final FakeEngine engine = new FakeEngine();
    private final FakeQueue queue = new FakeQueue();
    private RpcDispatcher rpc;
    private RpcDispatcher withoutSession;
    private TorrentMetainfo twoFiles;

    private RpcDispatcher dispatcher(FakeQueue q) {
        TorrentBook book = new TorrentBook(Clock.systemUTC());
        Ids ids = new Ids(EngineRef.of(engine), book);
        SessionSettings settings = new SessionSettings(dir.resolve("downloads"));
        QueueMethods queueMethods = new QueueMethods(ids, () -> q);
        return new RpcDispatcher(new TorrentAdd(EngineRef.of(engine), METAINFO, book, settings, () -> q),
                new TorrentMethods(ids, new TorrentFields(METAINFO, () -> q), book, queueMethods),
                new SessionMethods(EngineRef.of(engine), ids, book, settings, "sid", new FakeLimits(), queueMethods),
                queueMethods);
    }

    @BeforeEach
    void setUp() throws Exception {
        rpc = dispatcher(queue);
        withoutSession = dispatcher(null);
        Path folder = Files.createDirectories(dir.resolve("src/pair"));
        Files.write(folder.resolve("a.bin"), new byte[40_000]);
        Files.write(folder.resolve("b.bin"), new byte[30_000]);
        twoFiles = METAINFO.create(CreateRequest.of(folder), CreateProgress.NONE);
    }

    private static JsonObject call(RpcDispatcher d, String method, String arguments) {
        return JsonParser.parseString(d.handle("{\"method\":\"" + method + "\",\"arguments\":" + arguments + "}"))
                .getAsJsonObject();
    }

    private JsonObject call(String method, String arguments) {
        return call(rpc, method, arguments);
    }

    private static String result(JsonObject answer) {
        return answer.get("result").getAsString();
    }

    private JsonObject torrent(String fields) {
        return call("torrent-get", "{\"ids\":[1],\"fields\":" + fields + "}").getAsJsonObject("arguments")
                .getAsJsonArray("torrents").get(0).getAsJsonObject();
    }

    private String metainfo() {
        return Base64.getEncoder().encodeToString(METAINFO.encode(twoFiles));
    }

    @Test
    void labelsAreSetAtAddAndBySetAndShownByGet() {
        assertEquals("success", result(call("torrent-add", "{\"metainfo\":\"" + metainfo()
                + "\",\"labels\":[\"linux\",\" iso \"]}")));
        assertEquals(List.of("linux", "iso"), queue.labels(twoFiles.infoHash()), "trimmed, kept by the session");
        assertEquals("[\"linux\",\"iso\"]", torrent("[\"labels\"]").get("labels").toString());
        assertEquals("success", result(call("torrent-set", "{\"ids\":[1],\"labels\":[\"done\"]}")));
        assertEquals("[\"done\"]", torrent("[\"labels\"]").get("labels").toString());
        assertEquals("success", result(call("torrent-set", "{\"ids\":[1],\"labels\":[]}")));
        assertEquals("[]", torrent("[\"labels\"]").get("labels").toString());
    }

    @Test
    void badLabelsGetTheErrorResultAndChangeNothing() {
        engine.add(twoFiles, new AddOptions(dir.resolve("d"), true, List.of()));
        assertEquals("success", result(call("torrent-set", "{\"ids\":[1],\"labels\":[\"keep\"]}")));
        String control = result(call("torrent-set", "{\"ids\":[1],\"labels\":[\"a\\u0007b\"]}"));
        assertTrue(control.contains("control"), control);
        String comma = result(call("torrent-set", "{\"ids\":[1],\"labels\":[\"a,b\"]}"));
        assertTrue(comma.contains("comma"), comma);
        String many = result(call("torrent-set", "{\"ids\":[1],\"labels\":[" + "\"x\",".repeat(64) + "\"y\"]}"));
        assertTrue(many.contains("more than 64"), many);
        String longOne = result(call("torrent-set", "{\"ids\":[1],\"labels\":[\"" + "x".repeat(129) + "\"]}"));
        assertTrue(longOne.contains("more than 128"), longOne);
        String notText = result(call("torrent-set", "{\"ids\":[1],\"labels\":[1]}"));
        assertTrue(notText.contains("array of strings"), notText);
        assertEquals(List.of("keep"), queue.labels(twoFiles.infoHash()));
        String noSession = result(call(withoutSession, "torrent-set", "{\"ids\":[1],\"labels\":[\"x\"]}"));
        assertTrue(noSession.contains("persistent session"), noSession);
        String addBad = result(call("torrent-add", "{\"filename\":\"magnet:?xt=urn:btih:" + "cd".repeat(20)
                + "\",\"labels\":[\"a\\nb\"]}"));
        assertTrue(addBad.contains("control"), addBad);
        assertEquals(1, engine.torrents.size(), "a refused add adds nothing");
    }

    @Test
    void sequentialDownloadIsSetAtAddAndLiveAndShown() {
        assertEquals("success", result(call("torrent-add", "{\"metainfo\":\"" + metainfo()
                + "\",\"sequentialDownload\":true}")));
        FakeEngine.FakeHandle h = engine.only();
        assertTrue(h.sequential);
        assertEquals(true, torrent("[\"sequentialDownload\"]").get("sequentialDownload").getAsBoolean());
        assertEquals("success", result(call("torrent-set", "{\"ids\":[1],\"sequentialDownload\":false}")));
        assertFalse(h.sequential);
        assertEquals(false, torrent("[\"sequentialDownload\"]").get("sequentialDownload").getAsBoolean());
        String magnet = result(call("torrent-add", "{\"filename\":\"magnet:?xt=urn:btih:" + "cd".repeat(20)
                + "\",\"sequentialDownload\":true}"));
        assertTrue(magnet.contains("torrent-set"), magnet);
    }

    @Test
    void fileChoicesFollowWhatTheEngineRestored() {
        // As the session restores it: file 0 unwanted in the engine, nothing set through this RPC yet.
        FakeEngine.FakeHandle h = (FakeEngine.FakeHandle) engine.add(twoFiles,
                new AddOptions(dir.resolve("d"), true, List.of()));
        h.filePriorities.put(0, Priority.SKIP);
        assertEquals("[0,1]", torrent("[\"wanted\"]").get("wanted").toString());
        assertEquals("success", result(call("torrent-set", "{\"ids\":[1],\"priority-high\":[1]}")));
        assertEquals(Map.of(0, Priority.SKIP, 1, Priority.HIGH), h.filePriorities, "file 0 stays unwanted");
        assertEquals("[0,1]", torrent("[\"priorities\"]").get("priorities").toString());
    }

    @Test
    void everTotalsAndTheRatioCountEarlierRuns() {
        engine.add(twoFiles, new AddOptions(dir.resolve("d"), true, List.of()));
        queue.earlier.put(twoFiles.infoHash(), new long[] {3000, 2000}); // restored by the session
        JsonObject t = torrent("[\"uploadedEver\",\"downloadedEver\",\"uploadRatio\"]");
        assertEquals(3000, t.get("uploadedEver").getAsLong());
        assertEquals(2000, t.get("downloadedEver").getAsLong());
        assertEquals(1.5, t.get("uploadRatio").getAsDouble());
    }
}
