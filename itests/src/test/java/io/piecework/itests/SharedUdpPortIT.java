package io.piecework.itests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.piecework.dht.KrpcCodec;
import io.piecework.dht.KrpcMessage;
import io.piecework.dht.NodeId;
import io.piecework.itests.support.Daemon;
import io.piecework.itests.support.UtpDial;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default configuration's one port, as libtorrent has it: TCP, uTP and the DHT all on the
 * same number (6881 when shipped; a free one here). The daemon must accept a uTP connection there
 * and its DHT must still answer a ping there: uTP owns the UDP socket and hands the DHT the
 * datagrams that start with {@code d}. Before the sharing, uTP found the port taken by the DHT
 * and accepted nothing.
 */
class SharedUdpPortIT {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    @Test
    void utpAndTheDhtShareTheTcpPortNumber() throws Exception {
        int port = freeTcpAndUdpPort();
        Path config = Daemon.config(dir).folder();
        Files.writeString(config.resolve("io.piecework.wire.transport.cfg"),
                "listen.address=127.0.0.1\nlisten.port=" + port + "\n");
        Files.writeString(config.resolve("io.piecework.dht.cfg"),
                "bind.address=127.0.0.1\nbind.address6=::\nport=" + port + "\nbootstrap.nodes=\nstate.file=\n");
        // The IPv6 node on :: as shipped: a dual-stack socket on the shared port took it from uTP.
        Process daemon = Daemon.start(dir, List.of("daemon", "--config", config.toString()), dir);
        try {
            Daemon.Log log = new Daemon.Log(daemon);
            log.await(Pattern.compile("accepting peers on /127\\.0\\.0\\.1:" + port));
            InetSocketAddress at = new InetSocketAddress(LOOPBACK, port);

            // The DHT answers on the port (it may start a little after the transports).
            KrpcMessage reply = pingUntilAnswered(at, TimeUnit.SECONDS.toMillis(Daemon.TIMEOUT_S));
            KrpcMessage.Response response = assertInstanceOf(KrpcMessage.Response.class, reply);
            assertArrayEquals(new byte[] {7, 7}, response.transaction());

            // A uTP connection to the same port is accepted (a SYN answered by a STATE).
            assertEquals(at, UtpDial.accepted(at, 60));
            // And the DHT still answers after uTP traffic went through the socket.
            assertInstanceOf(KrpcMessage.Response.class, pingUntilAnswered(at, TimeUnit.SECONDS.toMillis(30)));
        } finally {
            daemon.destroy();
            if (!daemon.waitFor(60, TimeUnit.SECONDS)) {
                daemon.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Pings once a second until an answer comes, at most {@code millis}. */
    private static KrpcMessage pingUntilAnswered(InetSocketAddress to, long millis) throws Exception {
        byte[] ping = KrpcCodec.ping(new byte[] {7, 7}, NodeId.random(new Random(1)), false);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            socket.setSoTimeout(1000);
            while (System.nanoTime() < deadline) {
                socket.send(new DatagramPacket(ping, ping.length, to));
                DatagramPacket in = new DatagramPacket(new byte[4096], 4096);
                try {
                    // The node pings us back before we may enter its table: skip its queries.
                    KrpcMessage m;
                    do {
                        socket.receive(in);
                        m = KrpcCodec.decode(ByteBuffer.wrap(in.getData(), 0, in.getLength()));
                    } while (m instanceof KrpcMessage.Query);
                    return m;
                } catch (SocketTimeoutException e) {
                    // not up yet, or the datagram was lost: ask again
                }
            }
        }
        throw new AssertionError("no DHT answer on " + to + " within " + millis + " ms");
    }

    /** A port free for both TCP and UDP on loopback now. */
    private static int freeTcpAndUdpPort() throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, LOOPBACK);
                 DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, tcp.getLocalPort()))) {
                return udp.getLocalPort();
            } catch (java.net.BindException e) {
                // the UDP side is taken: try another
            }
        }
        throw new AssertionError("no port free for both TCP and UDP");
    }
}
