package io.piecework.rpc.transmission.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.piecework.api.engine.QueueLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** session-set changes outlive a restart: kept in a file, applied again when the next daemon's session binds. */
class KeptSessionSettingsTest {
    @TempDir
    Path dir;

    /** One daemon's RPC: its own engine limits, queue and settings, as after a restart. */
    private final class Daemon {
        final FakeLimits limits = new FakeLimits();
        final FakeQueue queue = new FakeQueue();
        final SessionSettings settings = new SessionSettings(dir.resolve("configured"));
        final SessionMethods session;
        final RpcDispatcher rpc;

        Daemon() {
            FakeEngine engine = new FakeEngine();
            TorrentBook book = new TorrentBook(Clock.systemUTC());
            Ids ids = new Ids(EngineRef.of(engine), book);
            QueueMethods queueMethods = new QueueMethods(ids, () -> queue);
            session = new SessionMethods(EngineRef.of(engine), ids, book, settings, "sid", limits, queueMethods);
            rpc = new RpcDispatcher(new TorrentAdd(EngineRef.of(engine), null, book, settings, () -> queue),
                    new TorrentMethods(ids, new TorrentFields(null, () -> queue), book, queueMethods), session, queueMethods);
            session.keepIn(new KeptSessionSettings(dir.resolve("state/rpc/session-set.json")));
        }

        String set(String arguments) {
            return JsonParser.parseString(rpc.handle("{\"method\":\"session-set\",\"arguments\":" + arguments + "}"))
                    .getAsJsonObject().get("result").getAsString();
        }
    }

    @Test
    void limitsQueueSizesRatioAndFolderSetByARemoteComeBackAfterARestart() {
        Daemon first = new Daemon();
        String downloads = dir.resolve("remote-downloads").toString().replace("\\", "\\\\");
        assertEquals("success", first.set("{\"speed-limit-down\":300,\"speed-limit-down-enabled\":true,"
                + "\"download-queue-size\":2,\"seedRatioLimit\":1.25,\"seedRatioLimited\":true}"));
        assertEquals("success", first.set("{\"download-dir\":\"" + downloads + "\",\"start-added-torrents\":false,"
                + "\"speed-limit-down\":400}"));
        assertTrue(first.set("{\"peer-port\":1}").contains("not applied"), "a refused change is not kept");

        Daemon second = new Daemon();
        assertEquals(400, second.limits.values.downloadKiB(), "the latest value wins");
        QueueLimits q = second.queue.limits;
        assertEquals(2, q.downloadQueueSize());
        assertTrue(q.ratioLimited());
        assertEquals(1.25, q.ratioLimit());
        assertEquals(dir.resolve("remote-downloads"), second.settings.downloadDir);
        assertFalse(second.settings.startAdded);
    }

    @Test
    void aCorruptFileIsMovedAsideAndTheConfigurationHolds() throws Exception {
        Path file = Files.createDirectories(dir.resolve("state/rpc")).resolve("session-set.json");
        Files.writeString(file, "{\"speed-limit-down\": 5");
        Daemon d = new Daemon();
        assertEquals(SessionLimits.Values.DEFAULTS, d.limits.values);
        assertTrue(Files.exists(file.resolveSibling("session-set.json.corrupt")));
        assertEquals("success", d.set("{\"speed-limit-up\":7,\"speed-limit-up-enabled\":true}"));
        JsonObject kept = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        assertEquals(7, kept.get("speed-limit-up").getAsInt());
    }

    @Test
    void keptValuesTheRulesNowRefuseAreNotApplied() throws Exception {
        Path file = Files.createDirectories(dir.resolve("state/rpc")).resolve("session-set.json");
        Files.writeString(file, "{\"speed-limit-down\": -5, \"speed-limit-down-enabled\": true}");
        Daemon d = new Daemon();
        assertEquals(SessionLimits.Values.DEFAULTS, d.limits.values, "checked again as any session-set");
    }
}
