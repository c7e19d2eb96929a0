package io.piecework.rpc.transmission.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.piecework.api.engine.AddOptions;
import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.MetainfoService;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.metainfo.internal.MetainfoComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** torrent-verify queues the checks: one runs at a time, and torrent-get shows check-wait (1) and checking (2). */
class VerifyQueueRpcTest {
    private static final MetainfoService METAINFO = new MetainfoComponent();
    @TempDir
    Path dir;

    private TorrentMetainfo torrent(String name, int size) throws Exception {
        Path file = Files.createDirectories(dir.resolve("src")).resolve(name + ".bin");
        Files.write(file, new byte[1000 * size]);
        return METAINFO.create(CreateRequest.of(file), CreateProgress.NONE);
    }

    @Test
    void checksRunOneAtATimeAndShowTheirStatus() throws Exception {
        FakeEngine engine = new FakeEngine();
        TorrentBook book = new TorrentBook(Clock.systemUTC());
        Ids ids = new Ids(EngineRef.of(engine), book);
        SessionSettings settings = new SessionSettings(dir);
        RpcDispatcher rpc = new RpcDispatcher(new TorrentAdd(EngineRef.of(engine), METAINFO, book, settings),
                new TorrentMethods(ids, new TorrentFields(METAINFO), book),
                new SessionMethods(EngineRef.of(engine), ids, book, settings, "sid", new FakeLimits()));
        List<CompletableFuture<Void>> checks = new ArrayList<>();
        List<FakeEngine.FakeHandle> handles = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            // Stopped, as the engine reports a torrent during its check.
            FakeEngine.FakeHandle h = (FakeEngine.FakeHandle) engine.add(torrent("t" + i, i),
                    new AddOptions(dir.resolve("d"), true, List.of()));
            h.checking = () -> {
                CompletableFuture<Void> check = new CompletableFuture<>();
                checks.add(check);
                return check;
            };
            handles.add(h);
        }
        assertEquals("[0,0,0]", statuses(rpc));

        assertEquals("success", result(rpc, "torrent-verify", "{\"ids\":[1,2,3]}"));
        assertEquals(1, checks.size(), "one check at a time");
        assertEquals(List.of("verify"), handles.get(0).calls);
        assertEquals(List.of(), handles.get(1).calls);
        assertEquals("[2,1,1]", statuses(rpc));
        assertEquals("success", result(rpc, "torrent-verify", "{\"ids\":[2]}"), "already waiting: once");

        checks.get(0).complete(null);
        assertEquals(2, checks.size());
        assertEquals("[0,2,1]", statuses(rpc));
        checks.get(1).completeExceptionally(new java.io.IOException("disk gone")); // the queue goes on
        assertEquals("[0,0,2]", statuses(rpc));
        checks.get(2).complete(null);
        assertEquals(3, checks.size());
        assertEquals("[0,0,0]", statuses(rpc));
    }

    @Test
    void aLongQueueOfChecksThatFailAtOnceDoesNotRunTheStackOut() {
        Verifications queue = new Verifications();
        FakeEngine engine = new FakeEngine();
        CompletableFuture<Void> first = new CompletableFuture<>();
        FakeEngine.FakeHandle slow = new FakeEngine.FakeHandle(engine, io.piecework.api.metainfo.InfoHash.of(new byte[20]),
                null, "slow", new AddOptions(dir, true, List.of()));
        slow.checking = () -> first;
        queue.verify(new TorrentBook.Entry(1, slow.infoHash, 0), slow);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            byte[] hash = new byte[20];
            java.nio.ByteBuffer.wrap(hash).putInt(i + 1);
            FakeEngine.FakeHandle h = new FakeEngine.FakeHandle(engine, io.piecework.api.metainfo.InfoHash.of(hash), null,
                    "t" + i, new AddOptions(dir, true, List.of()));
            h.checking = () -> CompletableFuture.failedFuture(new java.io.IOException("gone"));
            done.add(queue.verify(new TorrentBook.Entry(i + 2, h.infoHash, 0), h));
        }
        first.complete(null); // the rest follow on this thread
        assertEquals(20_000, done.stream().filter(CompletableFuture::isCompletedExceptionally).count());
    }

    private static String result(RpcDispatcher rpc, String method, String arguments) {
        return call(rpc, method, arguments).get("result").getAsString();
    }

    private static JsonObject call(RpcDispatcher rpc, String method, String arguments) {
        return JsonParser.parseString(rpc.handle("{\"method\":\"" + method + "\",\"arguments\":" + arguments + "}"))
                .getAsJsonObject();
    }

    private static String statuses(RpcDispatcher rpc) {
        List<Integer> out = new ArrayList<>();
        call(rpc, "torrent-get", "{\"ids\":[1,2,3],\"fields\":[\"id\",\"status\"]}").getAsJsonObject("arguments")
                .getAsJsonArray("torrents").forEach(t -> out.add(t.getAsJsonObject().get("status").getAsInt()));
        return out.toString().replace(" ", "");
    }
}
