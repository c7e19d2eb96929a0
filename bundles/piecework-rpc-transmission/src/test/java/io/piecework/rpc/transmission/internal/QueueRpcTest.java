package io.piecework.rpc.transmission.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.SeedLimits;
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
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The queue, seeding limits, torrent-verify and downloadDir over the RPC, against a recording queue. */
class QueueRpcTest {
    private static final MetainfoService METAINFO = new MetainfoComponent();
    @TempDir
    Path dir;
    private final FakeEngine engine = new FakeEngine();
    private final FakeQueue queue = new FakeQueue();
    private RpcDispatcher rpc;
    private FakeEngine.FakeHandle first;
    private FakeEngine.FakeHandle second;

    @BeforeEach
    void setUp() throws Exception {
        TorrentBook book = new TorrentBook(Clock.systemUTC());
        Ids ids = new Ids(EngineRef.of(engine), book);
        SessionSettings settings = new SessionSettings(dir.resolve("downloads"));
        QueueMethods queueMethods = new QueueMethods(ids, () -> queue);
        rpc = new RpcDispatcher(new TorrentAdd(EngineRef.of(engine), METAINFO, book, settings, () -> queue),
                new TorrentMethods(ids, new TorrentFields(METAINFO, () -> queue), book, queueMethods),
                new SessionMethods(EngineRef.of(engine), ids, book, settings, "sid", new FakeLimits(), queueMethods), queueMethods);
        // Added elsewhere (the shell, the session's restore), not through the RPC.
        first = (FakeEngine.FakeHandle) engine.add(torrent("one", 1), new AddOptions(dir.resolve("shell-dir"), false, List.of()));
        second = (FakeEngine.FakeHandle) engine.add(torrent("two", 2), new AddOptions(dir.resolve("other"), true, List.of()));
        queue.order.addAll(List.of(first.infoHash, second.infoHash));
    }

    private TorrentMetainfo torrent(String name, int size) throws Exception {
        Path file = Files.createDirectories(dir.resolve("src")).resolve(name + ".bin");
        Files.write(file, new byte[1000 * size]);
        return METAINFO.create(CreateRequest.of(file), CreateProgress.NONE);
    }

    private JsonObject call(String method, String arguments) {
        return JsonParser.parseString(rpc.handle("{\"method\":\"" + method + "\",\"arguments\":" + arguments + "}"))
                .getAsJsonObject();
    }

    private static String result(JsonObject answer) {
        return answer.get("result").getAsString();
    }

    private JsonObject torrent(int id, String fields) {
        JsonObject answer = call("torrent-get", "{\"ids\":[" + id + "],\"fields\":" + fields + "}");
        return answer.getAsJsonObject("arguments").getAsJsonArray("torrents").get(0).getAsJsonObject();
    }

    @Test
    void aQueuedTorrentShowsTransmissionsQueuedStatusAndItsPlace() {
        call("torrent-get", "{\"fields\":[\"id\"]}"); // ids in the engine's order: 1 first, 2 second
        queue.queued.add(second.infoHash);
        assertEquals(TorrentFields.QUEUED_TO_DOWNLOAD, torrent(2, "[\"status\"]").get("status").getAsInt());
        second.verified = second.wanted;
        assertEquals(TorrentFields.QUEUED_TO_SEED, torrent(2, "[\"status\"]").get("status").getAsInt());
        assertEquals(TorrentFields.DOWNLOADING, torrent(1, "[\"status\"]").get("status").getAsInt());

        assertEquals("success", result(call("queue-move-top", "{\"ids\":[2]}")));
        assertEquals(0, torrent(2, "[\"queuePosition\"]").get("queuePosition").getAsInt());
        assertEquals(1, torrent(1, "[\"queuePosition\"]").get("queuePosition").getAsInt());
        for (String move : List.of("up", "down", "bottom")) {
            assertEquals("success", result(call("queue-move-" + move, "{\"ids\":[1]}")));
        }
        assertEquals(List.of("move TOP [" + second.infoHash.hex() + "]", "move UP [" + first.infoHash.hex() + "]",
                "move DOWN [" + first.infoHash.hex() + "]", "move BOTTOM [" + first.infoHash.hex() + "]"), queue.calls);
    }

    @Test
    void startAndStopGoThroughTheQueueAndStartNowPassesIt() {
        call("torrent-get", "{\"fields\":[\"id\"]}");
        call("torrent-start", "{\"ids\":[2]}");
        call("torrent-start-now", "{\"ids\":[2]}");
        call("torrent-stop", "{\"ids\":[1]}");
        assertEquals(List.of("start " + second.infoHash.hex(), "start-now " + second.infoHash.hex(),
                "stop " + first.infoHash.hex()), queue.calls);
        assertEquals(List.of(), second.calls, "the queue starts it, not the RPC");
    }

    @Test
    void anAddedTorrentIsStartedThroughTheQueue() throws Exception {
        String b64 = Base64.getEncoder().encodeToString(METAINFO.encode(torrent("three", 3)));
        JsonObject added = call("torrent-add", "{\"metainfo\":\"" + b64 + "\"}");
        assertEquals("success", result(added));
        FakeEngine.FakeHandle third = engine.torrents.get(2);
        assertEquals(TorrentState.STOPPED, third.state, "added stopped: the queue decides");
        assertEquals(List.of("start " + third.infoHash.hex()), queue.calls);
    }

    @Test
    void seedLimitsPerTorrentAreSetAndShownAndBadOnesChangeNothing() {
        call("torrent-get", "{\"fields\":[\"id\"]}");
        assertEquals("success", result(call("torrent-set",
                "{\"ids\":[1],\"seedRatioLimit\":1.5,\"seedRatioMode\":1,\"seedIdleLimit\":45,\"seedIdleMode\":2}")));
        assertEquals(new SeedLimits(SeedLimits.Mode.SINGLE, 1.5, SeedLimits.Mode.UNLIMITED, 45),
                queue.seedLimits(first.infoHash));
        JsonObject t = torrent(1, "[\"seedRatioLimit\",\"seedRatioMode\",\"seedIdleLimit\",\"seedIdleMode\"]");
        assertEquals(1.5, t.get("seedRatioLimit").getAsDouble());
        assertEquals(1, t.get("seedRatioMode").getAsInt());
        assertEquals(45, t.get("seedIdleLimit").getAsInt());
        assertEquals(2, t.get("seedIdleMode").getAsInt());

        for (String bad : List.of("\"seedRatioMode\":3", "\"seedRatioLimit\":-1", "\"seedRatioLimit\":\"x\"",
                "\"seedIdleLimit\":-5", "\"queuePosition\":-1", "\"seedRatioLimit\":1e400")) {
            String answer = result(call("torrent-set", "{\"ids\":[2],\"seedRatioMode\":1," + bad.replace("\"seedRatioMode\":1,", "") + "}"));
            assertTrue(answer.contains("must be"), bad + " -> " + answer);
        }
        assertEquals(SeedLimits.GLOBAL, queue.seedLimits(second.infoHash));

        assertEquals("success", result(call("torrent-set", "{\"ids\":[1],\"queuePosition\":1}")));
        assertEquals(1, queue.position(first.infoHash));
    }

    @Test
    void sessionQueueAndSeedingLimitsAreReadAndSet() {
        JsonObject before = call("session-get", "{}").getAsJsonObject("arguments");
        assertTrue(before.get("download-queue-enabled").getAsBoolean());
        assertEquals(5, before.get("download-queue-size").getAsInt());
        assertEquals("success", result(call("session-set", "{\"download-queue-size\":2,\"seed-queue-enabled\":true,"
                + "\"seed-queue-size\":3,\"seedRatioLimited\":true,\"seedRatioLimit\":0.5,"
                + "\"idle-seeding-limit-enabled\":true,\"idle-seeding-limit\":12}")));
        JsonObject after = call("session-get", "{}").getAsJsonObject("arguments");
        assertEquals(2, after.get("download-queue-size").getAsInt());
        assertTrue(after.get("seed-queue-enabled").getAsBoolean());
        assertEquals(3, after.get("seed-queue-size").getAsInt());
        assertTrue(after.get("seedRatioLimited").getAsBoolean());
        assertEquals(0.5, after.get("seedRatioLimit").getAsDouble());
        assertTrue(after.get("idle-seeding-limit-enabled").getAsBoolean());
        assertEquals(12, after.get("idle-seeding-limit").getAsInt());

        assertTrue(result(call("session-set", "{\"download-queue-size\":-1}")).contains("must be"));
        assertTrue(result(call("session-set", "{\"download-queue-size\":1,\"download-dir\":\"relative\"}")).length() > 0);
        assertEquals(2, queue.limits().downloadQueueSize(), "a refused request changes nothing");
    }

    @Test
    void verifyReachesTheEngineAndDownloadDirIsTheEnginesForTorrentsAddedElsewhere() {
        call("torrent-get", "{\"fields\":[\"id\"]}");
        assertEquals("success", result(call("torrent-verify", "{\"ids\":[1,2]}")));
        assertEquals(List.of("verify"), first.calls);
        assertEquals(List.of("verify"), second.calls);
        assertEquals(dir.resolve("shell-dir").toString(), torrent(1, "[\"downloadDir\"]").get("downloadDir").getAsString());
    }
}
