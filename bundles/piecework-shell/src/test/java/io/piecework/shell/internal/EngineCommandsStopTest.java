package io.piecework.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.piecework.api.engine.TorrentEngine;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentQueue;
import io.piecework.api.metainfo.InfoHash;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code piecework:stop} with and without the session's queue: with one, the stop goes through it
 * (it forgets the torrent is wanted before the engine stops it), as the RPC's torrent-stop does;
 * a queued torrent, already stopped in the engine, would otherwise be started again.
 */
class EngineCommandsStopTest {
    private static final InfoHash HASH = InfoHash.of(new byte[20]);
    private final List<String> calls = new ArrayList<>();

    /** A fake of {@code type}: records stop calls, finds {@code answer}, knows its info-hash. */
    private <T> T fake(Class<T> type, String who, Object answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, m, args) -> {
            switch (m.getName()) {
                case "infoHash": return HASH;
                case "find": return Optional.of(answer);
                case "stop": calls.add(who + ".stop" + (args == null ? "" : "(" + args[0] + ")")); return null;
                case "toString": return who;
                case "hashCode": return System.identityHashCode(proxy);
                case "equals": return proxy == args[0];
                default: throw new UnsupportedOperationException(m.getName());
            }
        }));
    }

    private EngineCommands commands() {
        TorrentHandle torrent = fake(TorrentHandle.class, "torrent", null);
        return new EngineCommands(fake(TorrentEngine.class, "engine", torrent), null, null);
    }

    @Test
    void withTheSessionsQueueTheStopGoesThroughIt() throws Exception {
        EngineCommands shell = commands();
        shell.setQueue(fake(TorrentQueue.class, "queue", null));
        assertEquals("stopped " + HASH.hex(), shell.stop("00"));
        assertEquals(List.of("queue.stop(" + HASH + ")"), calls);
    }

    @Test
    void withoutAQueueTheTorrentIsStoppedInTheEngine() throws Exception {
        EngineCommands shell = commands();
        TorrentQueue q = fake(TorrentQueue.class, "queue", null);
        shell.setQueue(q);
        shell.unsetQueue(q);
        assertEquals("stopped " + HASH.hex(), shell.stop("00"));
        assertEquals(List.of("torrent.stop"), calls);
    }
}
