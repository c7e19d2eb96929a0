package io.piecework.rpc.transmission.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.piecework.api.engine.Priority;
import io.piecework.api.engine.TorrentState;
import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.MetainfoService;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.metainfo.internal.MetainfoComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSON requests in, JSON answers out, against a recording engine and the real metainfo parser. */
class RpcDispatcherTest {
    private static final MetainfoService METAINFO = new MetainfoComponent();
    @TempDir
    Path dir;
    private FakeEngine engine;
    private final FakeLimits limits = new FakeLimits();
    private RpcDispatcher rpc;
    private TorrentMetainfo twoFiles;
    private byte[] twoFilesBytes;

    @BeforeEach
    void setUp() throws Exception {
        engine = new FakeEngine();
        TorrentBook book = new TorrentBook(Clock.systemUTC());
        Ids ids = new Ids(EngineRef.of(engine), book);
        SessionSettings downloads = new SessionSettings(dir.resolve("downloads"));
        rpc = new RpcDispatcher(new TorrentAdd(EngineRef.of(engine), METAINFO, book, downloads),
                new TorrentMethods(ids, new TorrentFields(METAINFO), book),
                new SessionMethods(EngineRef.of(engine), ids, book, downloads, "sid", limits));
        Path folder = Files.createDirectories(dir.resolve("src/pair"));
        Files.write(folder.resolve("a.bin"), new byte[40_000]);
        Files.write(folder.resolve("b.bin"), new byte[30_000]);
        twoFiles = METAINFO.create(CreateRequest.of(folder), CreateProgress.NONE);
        twoFilesBytes = METAINFO.encode(twoFiles);
    }

    private JsonObject call(String json) {
        return JsonParser.parseString(rpc.handle(json)).getAsJsonObject();
    }

    private JsonObject call(String method, String arguments) {
        return call("{\"method\":\"" + method + "\",\"arguments\":" + arguments + ",\"tag\":7}");
    }

    private static String result(JsonObject answer) {
        return answer.get("result").getAsString();
    }

    private JsonObject addTwoFiles() {
        String b64 = Base64.getEncoder().encodeToString(twoFilesBytes);
        return call("torrent-add", "{\"metainfo\":\"" + b64 + "\"}");
    }

    @Test
    void unknownMethodsAndBrokenRequestsGetAnErrorResultNotAnException() {
        JsonObject unknown = call("no-such-method", "{}");
        assertEquals("method name not recognized", result(unknown));
        assertEquals(7, unknown.get("tag").getAsInt());
        for (String body : new String[] {"", "not json", "[1,2]", "\"method\"", "{\"method\":", "{\"method\":42}",
                "{\"arguments\":{}}", "{\"method\":\"session-get\",\"arguments\":[]}", "{\"method\":\"session-get\"} x",
                "{\"method\":\"torrent-get\",\"arguments\":{\"fields\":\"id\"}}", "\u0000\uffff",
                "{\"method\":\"torrent-get\",\"arguments\":{\"fields\":[\"id\"],\"ids\":[[1]]}}",
                "{\"method\":\"torrent-get\",\"arguments\":{\"fields\":[\"id\"],\"ids\":[1.5]}}",
                "{\"method\":\"torrent-get\",\"arguments\":{\"fields\":[\"id\"],\"ids\":[1e40]}}",
                "{\"method\":\"torrent-get\",\"arguments\":{\"fields\":[\"id\"],\"ids\":\"nothex\"}}",
                "{\"method\":\"torrent-add\",\"arguments\":{\"filename\":\"/x\",\"paused\":\"yes\"}}"}) {
            JsonObject answer = call(body);
            assertFalse(result(answer).equals("success"), body);
            assertTrue(answer.get("arguments").isJsonObject(), body);
        }
    }

    @Test
    void deeplyNestedJsonIsRefusedWithoutStackOverflow() {
        String deep = "{\"method\":\"session-get\",\"arguments\":{\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}}";
        assertTrue(result(call(deep)).startsWith("invalid JSON"));
    }

    @Test
    void sessionGetTellsTheRpcVersionAndTheDownloadFolder() {
        JsonObject args = call("session-get", "{}").getAsJsonObject("arguments");
        assertEquals(SessionMethods.RPC_VERSION, args.get("rpc-version").getAsInt());
        assertEquals(dir.resolve("downloads").toString(), args.get("download-dir").getAsString());
        assertEquals(6881, args.get("peer-port").getAsInt());
        assertFalse(args.get("speed-limit-down-enabled").getAsBoolean());
        JsonObject some = call("session-get", "{\"fields\":[\"version\",\"no-such-field\"]}").getAsJsonObject("arguments");
        assertEquals(1, some.size());
    }

    @Test
    void sessionSetAppliesTheDownloadFolder() {
        assertEquals("success", result(call("session-set", "{\"download-dir\":\"" + dir.resolve("other") + "\"}")));
        assertEquals(dir.resolve("other").toString(),
                call("session-get", "{}").getAsJsonObject("arguments").get("download-dir").getAsString());
        String refused = result(call("session-set", "{\"alt-speed-time-enabled\":true}"));
        assertTrue(refused.contains("alt-speed-time-enabled") && refused.contains("not applied"), refused);
        assertTrue(result(call("session-set", "{\"download-dir\":\"relative/dir\"}")).contains("absolute"));
        assertTrue(result(call("session-set", "{\"made-up\":1}")).contains("made-up"));
    }

    @Test
    void sessionSetSetsTheEngineLimitsAndTheTurtleAsTransmissionRemoteSendsThem() {
        // transmission-remote -d 100 / -u 20 / -D / --alt-speed, limits in KiB/s (units.speed-bytes)
        assertEquals("success", result(call("session-set", "{\"speed-limit-down\":100,\"speed-limit-down-enabled\":true}")));
        assertEquals("success", result(call("session-set", "{\"speed-limit-up\":20,\"speed-limit-up-enabled\":true}")));
        assertEquals(new SessionLimits.Values(100, 20, 50, 50, false), limits.values);
        JsonObject args = call("session-get", "{}").getAsJsonObject("arguments");
        assertEquals(100, args.get("speed-limit-down").getAsInt());
        assertTrue(args.get("speed-limit-down-enabled").getAsBoolean());
        assertEquals(1024, args.getAsJsonObject("units").get("speed-bytes").getAsInt());
        assertEquals(500, args.get("peer-limit-global").getAsInt()); // with alt-speed-time-*, what -si needs to show limits
        assertFalse(args.get("alt-speed-time-enabled").getAsBoolean());
        assertEquals("success", result(call("session-set", "{\"speed-limit-down-enabled\":false}")));
        assertEquals("success", result(call("session-set", "{\"alt-speed-enabled\":true,\"alt-speed-down\":7}")));
        assertEquals(new SessionLimits.Values(0, 20, 7, 50, true), limits.values);
        assertTrue(call("session-get", "{}").getAsJsonObject("arguments").get("alt-speed-enabled").getAsBoolean());

        // Refused whole: nothing of the request is applied.
        String on = result(call("session-set", "{\"speed-limit-down-enabled\":true,\"start-added-torrents\":false}"));
        assertTrue(on.contains("needs speed-limit-down"), on);
        assertTrue(call("session-get", "{}").getAsJsonObject("arguments").get("start-added-torrents").getAsBoolean());
        assertTrue(result(call("session-set", "{\"speed-limit-up\":-1}")).contains("between 0 and"));
        assertTrue(result(call("session-set", "{\"speed-limit-up\":\"fast\"}")).contains("integer"));
        assertTrue(result(call("session-set", "{\"speed-limit-up\":99999999999}")).contains("integer"));
        assertEquals(new SessionLimits.Values(0, 20, 7, 50, true), limits.values);
    }

    @Test
    void torrentSetAndGetLimitsPerTorrent() {
        addTwoFiles();
        FakeEngine.FakeHandle h = engine.only();
        // transmission-remote -t 1 -d 100 -u 30, then -t 1 -D
        assertEquals("success", result(call("torrent-set", "{\"ids\":[1],\"downloadLimit\":100,\"downloadLimited\":true}")));
        assertEquals("success", result(call("torrent-set", "{\"ids\":[1],\"uploadLimit\":30,\"uploadLimited\":true}")));
        assertEquals(new io.piecework.api.engine.RateLimits(100 * 1024, 30 * 1024), h.limits);
        JsonObject t = call("torrent-get", "{\"fields\":[\"downloadLimit\",\"downloadLimited\",\"uploadLimit\",\"uploadLimited\"]}")
                .getAsJsonObject("arguments").getAsJsonArray("torrents").get(0).getAsJsonObject();
        assertEquals("{\"downloadLimit\":100,\"downloadLimited\":true,\"uploadLimit\":30,\"uploadLimited\":true}", t.toString());
        assertEquals("success", result(call("torrent-set", "{\"ids\":[1],\"downloadLimited\":false}")));
        assertEquals(new io.piecework.api.engine.RateLimits(0, 30 * 1024), h.limits);
        assertTrue(result(call("torrent-set", "{\"ids\":[1],\"downloadLimited\":true,\"files-unwanted\":[0]}"))
                .contains("needs downloadLimit"));
        assertTrue(h.filePriorities.isEmpty(), "a refused request changes nothing");
        assertTrue(result(call("torrent-set", "{\"ids\":[1],\"uploadLimit\":-5}")).contains("between 0 and"));
        assertEquals(new io.piecework.api.engine.RateLimits(0, 30 * 1024), h.limits);
    }

    @Test
    void startAddedTorrentsFalseAddsPausedUnlessTheRequestSays() {
        assertEquals("success", result(call("session-set", "{\"start-added-torrents\":false}")));
        assertFalse(call("session-get", "{}").getAsJsonObject("arguments").get("start-added-torrents").getAsBoolean());
        addTwoFiles();
        assertTrue(engine.only().options.paused());
        call("torrent-remove", "{}");
        String b64 = Base64.getEncoder().encodeToString(twoFilesBytes);
        call("torrent-add", "{\"metainfo\":\"" + b64 + "\",\"paused\":false}");
        assertFalse(engine.only().options.paused());
        assertTrue(result(call("session-set", "{\"start-added-torrents\":true,\"download-dir\":\"rel\"}")).contains("absolute"));
        assertFalse(call("session-get", "{}").getAsJsonObject("arguments").get("start-added-torrents").getAsBoolean(),
                "a refused request changes nothing");
    }

    @Test
    void torrentAddTakesBase64MetainfoAndAnswersDuplicatesWithTheSameId() {
        JsonObject added = addTwoFiles();
        assertEquals("success", result(added));
        JsonObject t = added.getAsJsonObject("arguments").getAsJsonObject("torrent-added");
        assertEquals(1, t.get("id").getAsInt());
        assertEquals(twoFiles.infoHash().hex(), t.get("hashString").getAsString());
        assertEquals(dir.resolve("downloads"), engine.only().options.downloadDir());
        assertFalse(engine.only().options.paused());
        JsonObject again = addTwoFiles().getAsJsonObject("arguments");
        assertEquals(1, again.getAsJsonObject("torrent-duplicate").get("id").getAsInt());
        assertEquals(1, engine.torrents.size());
    }

    @Test
    void torrentAddHonoursDownloadDirPausedAndFileChoices() {
        String b64 = Base64.getEncoder().encodeToString(twoFilesBytes);
        JsonObject answer = call("torrent-add", "{\"metainfo\":\"" + b64 + "\",\"download-dir\":\"" + dir.resolve("there")
                + "\",\"paused\":true,\"files-unwanted\":[1],\"priority-high\":[0]}");
        assertEquals("success", result(answer));
        FakeEngine.FakeHandle h = engine.only();
        assertEquals(dir.resolve("there"), h.options.downloadDir());
        assertTrue(h.options.paused());
        assertEquals(Map.of(0, Priority.HIGH, 1, Priority.SKIP), h.filePriorities);
    }

    @Test
    void torrentAddRefusesBadTorrentsWithAClearResult() {
        assertTrue(result(call("torrent-add", "{\"metainfo\":\"%%%\"}")).startsWith("metainfo is not base64"));
        String garbage = Base64.getEncoder().encodeToString("d4:infoi3ee".getBytes());
        assertTrue(result(call("torrent-add", "{\"metainfo\":\"" + garbage + "\"}")).startsWith("invalid or corrupt torrent"));
        assertTrue(result(call("torrent-add", "{}")).contains("exactly one of"));
        assertTrue(result(call("torrent-add", "{\"filename\":\"https://example.org/x.torrent\"}")).contains("URL"));
        assertTrue(result(call("torrent-add", "{\"filename\":\"magnet:?xt=urn:btih:zz\"}")).startsWith("invalid magnet"));
        assertTrue(result(call("torrent-add", "{\"filename\":\"x.torrent\"}")).contains("absolute"));
        assertTrue(result(call("torrent-add", "{\"filename\":\"" + dir.resolve("missing.torrent") + "\"}"))
                .contains("not a readable file"));
        assertTrue(result(call("torrent-add", "{\"filename\":\"" + dir + "\"}")).contains("not a readable file"));
        String b64 = Base64.getEncoder().encodeToString(twoFilesBytes);
        assertTrue(result(call("torrent-add", "{\"metainfo\":\"" + b64 + "\",\"files-unwanted\":[2]}")).contains("file 2"));
        assertTrue(result(call("torrent-add", "{\"metainfo\":\"" + b64 + "\",\"peer-limit\":5}")).contains("peer-limit"));
        assertTrue(engine.torrents.isEmpty());
    }

    @Test
    void torrentAddReadsAPathOrAMagnet() throws Exception {
        Path file = dir.resolve("pair.torrent");
        Files.write(file, twoFilesBytes);
        assertEquals("success", result(call("torrent-add", "{\"filename\":\"" + file + "\"}")));
        String magnet = "magnet:?xt=urn:btih:" + "ab".repeat(20) + "&dn=thing";
        JsonObject m = call("torrent-add", "{\"filename\":\"" + magnet + "\",\"paused\":true}");
        assertEquals("thing", m.getAsJsonObject("arguments").getAsJsonObject("torrent-added").get("name").getAsString());
        assertEquals(2, engine.torrents.size());
        String choices = result(call("torrent-add", "{\"filename\":\"magnet:?xt=urn:btih:" + "cd".repeat(20)
                + "\",\"files-unwanted\":[0]}"));
        assertTrue(choices.contains("file list"), choices);
    }

    @Test
    void torrentGetAnswersTheAskedFieldsByIdHashOrRecentActivity() {
        addTwoFiles();
        FakeEngine.FakeHandle h = engine.only();
        h.verified = h.wanted / 2;
        JsonArray all = call("torrent-get", "{\"fields\":[\"id\",\"name\",\"percentDone\",\"sizeWhenDone\","
                + "\"leftUntilDone\",\"status\",\"files\",\"fileStats\",\"no-such-field\"]}")
                .getAsJsonObject("arguments").getAsJsonArray("torrents");
        JsonObject t = all.get(0).getAsJsonObject();
        assertEquals(1, t.get("id").getAsInt());
        assertEquals(0.5, t.get("percentDone").getAsDouble(), 0.001);
        assertEquals(h.wanted - h.verified, t.get("leftUntilDone").getAsLong());
        assertEquals(TorrentFields.DOWNLOADING, t.get("status").getAsInt());
        assertEquals(2, t.getAsJsonArray("files").size());
        assertEquals("pair/a.bin", t.getAsJsonArray("files").get(0).getAsJsonObject().get("name").getAsString());
        assertFalse(t.has("no-such-field"));
        String byHash = "{\"fields\":[\"id\"],\"ids\":[\"" + h.infoHash.hex() + "\"]}";
        assertEquals(1, call("torrent-get", byHash).getAsJsonObject("arguments").getAsJsonArray("torrents").size());
        assertEquals(0, call("torrent-get", "{\"fields\":[\"id\"],\"ids\":[9]}").getAsJsonObject("arguments")
                .getAsJsonArray("torrents").size());
        h.state = TorrentState.STOPPED;
        JsonObject recent = call("torrent-get", "{\"fields\":[\"id\"],\"ids\":\"recently-active\"}").getAsJsonObject("arguments");
        assertEquals(0, recent.getAsJsonArray("torrents").size());
        assertEquals(0, recent.getAsJsonArray("removed").size());
        h.state = TorrentState.ERROR;
        JsonObject failed = call("torrent-get", "{\"fields\":[\"error\",\"errorString\",\"status\"]}")
                .getAsJsonObject("arguments").getAsJsonArray("torrents").get(0).getAsJsonObject();
        assertEquals(TorrentFields.LOCAL_ERROR, failed.get("error").getAsInt());
        assertEquals("disk full", failed.get("errorString").getAsString());
        assertTrue(result(call("torrent-get", "{}")).contains("needs fields"));
        assertTrue(result(call("torrent-get", "{\"fields\":[\"id\"],\"format\":\"table\"}")).contains("table"));
    }

    @Test
    void idsStayWithTheirTorrentsAndAreNeverReused() {
        addTwoFiles();
        call("torrent-add", "{\"filename\":\"magnet:?xt=urn:btih:" + "ab".repeat(20) + "\"}");
        assertEquals("success", result(call("torrent-remove", "{\"ids\":[1],\"delete-local-data\":true}")));
        JsonObject recent = call("torrent-get", "{\"fields\":[\"id\"],\"ids\":\"recently-active\"}").getAsJsonObject("arguments");
        assertEquals(1, recent.getAsJsonArray("removed").get(0).getAsInt());
        JsonObject again = addTwoFiles().getAsJsonObject("arguments").getAsJsonObject("torrent-added");
        assertEquals(3, again.get("id").getAsInt());
        JsonArray ids = call("torrent-get", "{\"fields\":[\"id\"]}").getAsJsonObject("arguments").getAsJsonArray("torrents");
        assertEquals(2, ids.get(0).getAsJsonObject().get("id").getAsInt());
        assertEquals(3, ids.get(1).getAsJsonObject().get("id").getAsInt());
    }

    @Test
    void startStopAndRemoveReachTheEngine() {
        addTwoFiles();
        FakeEngine.FakeHandle h = engine.only();
        assertEquals("success", result(call("torrent-stop", "{\"ids\":[1]}")));
        assertEquals("success", result(call("torrent-start", "{\"ids\":1}")));
        assertEquals("success", result(call("torrent-start-now", "{\"ids\":[\"" + h.infoHash.hex() + "\"]}")));
        assertEquals("success", result(call("torrent-remove", "{\"ids\":[1]}")));
        assertEquals(java.util.List.of("stop", "start", "start", "remove false"), h.calls);
    }

    @Test
    void torrentSetSelectsFilesAndRefusesWhatItCannotApplyByName() {
        addTwoFiles();
        FakeEngine.FakeHandle h = engine.only();
        assertEquals("success", result(call("torrent-set", "{\"ids\":[1],\"files-unwanted\":[0]}")));
        assertEquals(Priority.SKIP, h.filePriorities.get(0));
        assertEquals("success", result(call("torrent-set", "{\"ids\":[1],\"priority-low\":[1],\"files-wanted\":[]}")));
        assertEquals(Map.of(0, Priority.NORMAL, 1, Priority.LOW), h.filePriorities, "low reaches the engine as low");
        JsonObject t = call("torrent-get", "{\"fields\":[\"wanted\",\"priorities\"]}").getAsJsonObject("arguments")
                .getAsJsonArray("torrents").get(0).getAsJsonObject();
        assertEquals("[1,1]", t.get("wanted").toString());
        assertEquals("[0,-1]", t.get("priorities").toString());
        assertEquals("success", result(call("torrent-set", "{\"ids\":[1],\"files-unwanted\":[1],\"priority-high\":[0]}")));
        assertEquals(Map.of(0, Priority.HIGH, 1, Priority.SKIP), h.filePriorities);
        String limit = result(call("torrent-set", "{\"ids\":[1],\"bandwidthPriority\":1}"));
        assertTrue(limit.contains("bandwidthPriority") && limit.contains("not applied"), limit);
        String ratio = result(call("torrent-set", "{\"ids\":[1],\"seedRatioLimit\":2}"));
        assertTrue(ratio.contains("seedRatioLimit") && ratio.contains("persistent session"), ratio);
        assertTrue(result(call("torrent-set", "{\"ids\":[1],\"files-wanted\":[5]}")).contains("file 5"));
        assertEquals(Map.of(0, Priority.HIGH, 1, Priority.SKIP), h.filePriorities);
    }

    @Test
    void methodsTheEngineCannotServeSayWhy() {
        assertTrue(result(call("port-test", "{}")).contains("not available"));
        assertTrue(result(call("queue-move-top", "{\"ids\":[1]}")).contains("needs the persistent session"));
    }

    @Test
    void freeSpaceAndSessionStatsAnswer() {
        JsonObject free = call("free-space", "{\"path\":\"" + dir + "\"}").getAsJsonObject("arguments");
        assertTrue(free.get("size-bytes").getAsLong() > 0);
        assertTrue(result(call("free-space", "{\"path\":\"" + dir.resolve("nope") + "\"}")).contains("not a folder"));
        addTwoFiles();
        JsonObject stats = call("session-stats", "{}").getAsJsonObject("arguments");
        assertEquals(1, stats.get("torrentCount").getAsInt());
        assertEquals(100, stats.getAsJsonObject("current-stats").get("downloadedBytes").getAsLong());
        assertTrue(stats.has("cumulative-stats"));
    }
}
