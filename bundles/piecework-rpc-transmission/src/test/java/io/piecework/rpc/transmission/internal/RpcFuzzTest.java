package io.piecework.rpc.transmission.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.piecework.api.engine.AddOptions;
import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.MetainfoService;
import io.piecework.metainfo.internal.MetainfoComponent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Coverage-guided fuzzing of the RPC's request handling (docs/fuzzing.md). Without
 * JAZZER_FUZZ it replays RpcFuzzTestInputs/ as ordinary tests.
 *
 * <p>Contract: any bytes give a JSON object with a string {@code result} and an object
 * {@code arguments}; nothing is thrown (the servlet would answer 500).
 */
class RpcFuzzTest {
    private static final MetainfoService METAINFO = new MetainfoComponent();
    private static final Path DIR = tempDir();

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("rpc-fuzz-");
            Path data = Files.createDirectories(dir.resolve("seed/pair"));
            Files.write(data.resolve("a"), new byte[50_000]);
            Files.write(data.resolve("b"), new byte[20_000]);
            Files.write(dir.resolve("pair.torrent"), METAINFO.encode(METAINFO.create(CreateRequest.of(data),
                    CreateProgress.NONE)));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DictionaryEntries({"{\"method\":\"", "\",\"arguments\":{", "}}", "\"tag\":", "\"ids\":", "[1]", "\"recently-active\"",
            "\"fields\":[", "\"id\"", "\"files\"", "\"fileStats\"", "session-get", "session-set", "session-stats",
            "torrent-add", "torrent-get", "torrent-start", "torrent-stop", "torrent-remove", "torrent-set", "free-space",
            "\"filename\":", "\"metainfo\":", "\"download-dir\":", "\"paused\":", "\"files-wanted\":", "\"files-unwanted\":",
            "\"priority-high\":", "\"delete-local-data\":", "\"magnet:?xt=urn:btih:", "\"/tmp\"", "true", "1e400"})
    @FuzzTest(maxDuration = "10m")
    void handle(byte[] input) throws Exception {
        FakeEngine engine = new FakeEngine();
        engine.add(METAINFO.read(DIR.resolve("pair.torrent")), AddOptions.in(DIR.resolve("down")));
        TorrentBook book = new TorrentBook(Clock.systemUTC());
        Ids ids = new Ids(EngineRef.of(engine), book);
        SessionSettings settings = new SessionSettings(DIR.resolve("down"));
        RpcDispatcher rpc = new RpcDispatcher(new TorrentAdd(EngineRef.of(engine), METAINFO, book, settings),
                new TorrentMethods(ids, new TorrentFields(METAINFO), book), new SessionMethods(EngineRef.of(engine), ids, book, settings, "s",
                new FakeLimits()));
        String answer = rpc.handle(new String(input, StandardCharsets.UTF_8));
        JsonObject o = JsonParser.parseString(answer).getAsJsonObject();
        JsonElement result = o.get("result");
        assertTrue(result != null && result.isJsonPrimitive() && result.getAsJsonPrimitive().isString(), answer);
        assertTrue(o.get("arguments").isJsonObject(), answer);
        assertTrue(!result.getAsString().startsWith("internal error"), answer);
    }
}
