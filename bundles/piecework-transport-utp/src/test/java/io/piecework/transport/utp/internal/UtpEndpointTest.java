package io.piecework.transport.utp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UtpEndpointTest {
    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress("127.0.0.1", 0);
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

    @AfterEach
    void tearDown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Collects a stream's bytes and its end. */
    private static final class Collect implements UtpStream.Handler {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CompletableFuture<String> closed = new CompletableFuture<>();

        @Override
        public synchronized void onData(UtpStream stream, ByteBuffer data) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            bytes.write(b, 0, b.length);
            notifyAll();
        }

        @Override
        public void onClosed(UtpStream stream, String reason) {
            closed.complete(reason);
        }

        synchronized byte[] await(int size, long millis) throws InterruptedException {
            long end = System.currentTimeMillis() + millis;
            while (bytes.size() < size && System.currentTimeMillis() < end) {
                wait(Math.max(1, end - System.currentTimeMillis()));
            }
            return bytes.toByteArray();
        }
    }

    @Test
    void twoEndpointsCarryMebibytesBothWaysOverRealUdpAndClose() throws Exception {
        Collect atServer = new Collect();
        CompletableFuture<UtpStream> accepted = new CompletableFuture<>();
        try (UtpEndpoint server = UtpEndpoint.bind(group, ANY_LOOPBACK, s -> {
                    accepted.complete(s);
                    return atServer;
                }, 16);
             UtpEndpoint client = UtpEndpoint.bind(group, ANY_LOOPBACK, s -> null, 16)) {
            Collect atClient = new Collect();
            UtpStream out = client.connect(server.localAddress(), atClient).get(10, TimeUnit.SECONDS);
            byte[] up = random(1, 3 << 20);
            writeAll(out, up);
            assertArrayEquals(up, atServer.await(up.length, 60_000));

            byte[] down = random(2, 1 << 20);
            writeAll(accepted.get(10, TimeUnit.SECONDS), down);
            assertArrayEquals(down, atClient.await(down.length, 60_000));

            out.close();
            assertEquals("closed", atClient.closed.get(10, TimeUnit.SECONDS));
            assertEquals("closed", atServer.closed.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aRefusedConnectionFailsTheDialAndGarbageIsCountedNotFatal() throws Exception {
        try (UtpEndpoint server = UtpEndpoint.bind(group, ANY_LOOPBACK, s -> null, 16);
             UtpEndpoint client = UtpEndpoint.bind(group, ANY_LOOPBACK, s -> null, 16)) {
            try (DatagramSocket raw = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
                byte[] junk = "d1:ad2:id20:abcdefghij0123456789e1:q4:pinge".getBytes();
                raw.send(new DatagramPacket(junk, junk.length, server.localAddress()));
                raw.send(new DatagramPacket(new byte[3], 3, server.localAddress()));
            }
            Collect handler = new Collect();
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> client.connect(server.localAddress(), handler).get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("failed"), e.getCause().getMessage());
            assertEquals("reset by peer", handler.closed.get(1, TimeUnit.SECONDS));
            assertEquals(2, server.malformed());
        }
    }

    private static void writeAll(UtpStream stream, byte[] data) {
        for (int at = 0; at < data.length; at += 64 << 10) {
            assertTrue(stream.write(ByteBuffer.wrap(data, at, Math.min(64 << 10, data.length - at))));
        }
    }

    private static byte[] random(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }
}
