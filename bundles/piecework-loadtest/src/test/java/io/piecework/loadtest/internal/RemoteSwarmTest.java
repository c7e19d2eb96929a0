package io.piecework.loadtest.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.wire.Handshake;
import java.io.DataInputStream;
import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fake swarm in a child JVM: it dials from its own addresses, and its figures come back over the pipe. */
class RemoteSwarmTest {
    private static final InfoHash HASH = InfoHash.of(new byte[] {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0});

    @Test
    void aChildJvmsPeersDialTheEngineAndReportTheirConnections() throws Exception {
        Payload payload = new Payload(64 * 1024, 16 * 1024, 42);
        List<Path> classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of).toList();
        try (ServerSocket engine = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             RemoteSwarm swarm = new RemoteSwarm(payload, 42, 1, classpath)) {
            swarm.dial(HASH, 2, (InetSocketAddress) engine.getLocalSocketAddress());
            for (int i = 0; i < 2; i++) {
                try (Socket s = engine.accept()) {
                    assertTrue(s.getInetAddress().getHostAddress().startsWith("127.1."), "from its own address");
                    byte[] handshake = new byte[Handshake.LENGTH];
                    new DataInputStream(s.getInputStream()).readFully(handshake);
                    assertArrayEquals(HASH.bytes(), Arrays.copyOfRange(handshake, 28, 48), "the torrent it was told");
                    if (i == 0) {
                        assertTrue(swarm.awaitLive(2, 30_000), "both connections open in the child");
                        assertEquals(2, swarm.connections());
                    }
                }
            }
            assertTrue(swarm.awaitLive(0, 30_000), "closed by the engine's end, seen by the child");
            assertEquals(0, swarm.churned());
            assertNull(swarm.violation());
            assertTrue(swarm.processCpuNanos() > 0, "the child's CPU");
            assertFalse(swarm.awaitLive(5, 1), "a bounded wait that does not happen says so");
        } finally {
            payload.release();
        }
    }
}
