package io.piecework.itests.interop;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.wire.ExtendedHandshake;
import io.piecework.wire.Extensions;
import io.piecework.wire.Handshake;
import io.piecework.wire.PeerDecoder;
import io.piecework.wire.PeerId;
import io.piecework.wire.PeerMessageListener;
import io.piecework.wire.PexMessage;
import io.piecework.wire.WireEncoder;
import io.piecework.wire.WireException;
import io.piecework.wire.WireLimits;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.roaringbitmap.RoaringBitmap;

/**
 * The peers of issue 10's attack run, spoken with the wire codec over plain sockets from one
 * address: one that floods {@code ut_pex} with made-up peers, and many that handshake and then
 * only send keep-alives. Every made-up peer is 127.10.x.y on a port this class holds bound but
 * not listening, so every dial the victim makes is refused on loopback and nothing leaves the
 * machine. All sockets are counted while open, so a test can tell the victim's descriptors from
 * the attacker's in one process.
 */
final class HostilePeers implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final int FIRST_MADE_UP = (127 << 24) | (10 << 16);

    private final InetSocketAddress victim;
    private final InfoHash infoHash;
    private final Random random = new Random(10);
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final List<Socket> idle = new ArrayList<>();
    private final ScheduledExecutorService keepAlives = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hostile-keepalive");
        t.setDaemon(true);
        return t;
    });
    /** Why an idle connection could not be opened (this process out of descriptors, say), or null. */
    volatile String idleFailure;
    /** Bound, never listening: its port is where every made-up peer "listens". */
    private final Socket closedPort = new Socket();

    HostilePeers(InetSocketAddress victim, InfoHash infoHash) throws IOException {
        this.victim = victim;
        this.infoHash = infoHash;
        closedPort.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** Sockets the attacker holds open now (the closed-port holder included). */
    int openSockets() {
        return open.size() + 1;
    }

    /**
     * Connects, completes both handshakes with {@code ut_pex}, then sends {@code messages}
     * ut_pex messages of {@code added} made-up peers each, as fast as the victim reads them.
     *
     * @return how many were written whole before the victim closed the connection (a defence)
     */
    int floodPex(int messages, int added, int handshakeSeconds) throws Exception {
        Socket s = connect();
        CompletableFuture<ExtendedHandshake> theirs = new CompletableFuture<>();
        readAll(s, new PeerMessageListener() {
            @Override
            public void onExtendedHandshake(ExtendedHandshake h) {
                theirs.complete(h);
            }
        });
        OutputStream out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
        byte[] ours = ExtendedHandshake.ours("hostile", 0, 0, -1).encode();
        out.write(frame(WireEncoder.extendedLength(ours.length), b -> WireEncoder.extended(b, 0, ours)));
        out.flush();
        int pexId = theirs.get(handshakeSeconds, TimeUnit.SECONDS).idOf(Extensions.UT_PEX);
        if (pexId == 0) {
            throw new AssertionError("the victim does not offer ut_pex; the flood would test nothing");
        }
        int written = 0;
        try {
            for (int m = 0; m < messages; m++) {
                byte[] pex = madeUpPeers(m * added, added).encode();
                out.write(frame(WireEncoder.extendedLength(pex.length), b -> WireEncoder.extended(b, pexId, pex)));
                if (m % 100 == 99) {
                    out.flush();
                    written = m + 1;
                }
            }
            out.flush();
            written = messages;
        } catch (IOException closedByTheVictim) {
            // The victim may hang up on a flooder; what was written is what it faced.
        }
        return written;
    }

    /**
     * Opens {@code n} connections that send the BitTorrent handshake and from then on only a
     * keep-alive every {@code keepAliveSeconds}. A connection the victim closes is closed here
     * too (its next keep-alive fails).
     *
     * @return how many were opened; {@link #idleFailure} says why one was not
     */
    int openIdle(int n, int keepAliveSeconds) {
        int opened = 0;
        for (int i = 0; i < n; i++) {
            try {
                Socket s = connect();
                synchronized (idle) {
                    idle.add(s);
                }
                opened++;
            } catch (IOException e) {
                idleFailure = idleFailure == null ? e.toString() : idleFailure;
            }
        }
        keepAlives.scheduleWithFixedDelay(this::keepAlive, keepAliveSeconds, keepAliveSeconds, TimeUnit.SECONDS);
        return opened;
    }

    private void keepAlive() {
        List<Socket> all;
        synchronized (idle) {
            all = new ArrayList<>(idle);
        }
        for (Socket s : all) {
            try {
                s.getOutputStream().write(new byte[WireEncoder.KEEP_ALIVE_LENGTH]);
            } catch (IOException closedByTheVictim) {
                close(s);
                synchronized (idle) {
                    idle.remove(s);
                }
            }
        }
    }

    /** A socket to the victim that has sent our handshake: extension protocol and fast extension bits set. */
    private Socket connect() throws IOException {
        Socket s = new Socket();
        open.add(s); // counted before its descriptor exists, so a sample never sees an uncounted one
        try {
            s.connect(victim, CONNECT_TIMEOUT_MS);
            Handshake h = new Handshake(Handshake.ourReserved(false), infoHash, PeerId.generate("-HO0001-", random));
            s.getOutputStream().write(frame(Handshake.LENGTH, b -> WireEncoder.handshake(b, h)));
            return s;
        } catch (IOException e) {
            close(s);
            throw e;
        }
    }

    /** Decodes what the victim sends on a daemon thread until it closes; {@code listener} sees it all. */
    private void readAll(Socket s, PeerMessageListener listener) {
        PeerDecoder decoder = new PeerDecoder(listener, WireLimits.DEFAULT, RoaringBitmap::new, true);
        Thread reader = new Thread(() -> {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = s.getInputStream()) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    decoder.feed(ByteBuffer.wrap(buf, 0, n));
                }
            } catch (IOException | WireException ended) {
                // the victim closed, or we did
            }
        }, "hostile-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Peers {@code first .. first + n - 1} of 127.10.0.0 upwards, all on the closed port. */
    private PexMessage madeUpPeers(int first, int n) throws IOException {
        List<InetSocketAddress> peers = new ArrayList<>(n);
        for (int i = first; i < first + n; i++) {
            int ip = FIRST_MADE_UP + i;
            InetAddress a = Inet4Address.getByAddress(new byte[] {
                (byte) (ip >>> 24), (byte) (ip >>> 16), (byte) (ip >>> 8), (byte) ip});
            peers.add(new InetSocketAddress(a, closedPort.getLocalPort()));
        }
        byte[] flags = new byte[n];
        java.util.Arrays.fill(flags, (byte) PexMessage.FLAG_CONNECTABLE);
        return new PexMessage(peers, flags, List.of(), List.of(), new byte[0], List.of());
    }

    private interface Encoding {
        void into(ByteBuffer b);
    }

    private static byte[] frame(int length, Encoding encode) {
        ByteBuffer b = ByteBuffer.allocate(length);
        encode.into(b);
        return b.array();
    }

    private void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        open.remove(s);
    }

    @Override
    public void close() {
        keepAlives.shutdownNow();
        for (Socket s : List.copyOf(open)) {
            close(s);
        }
        try {
            closedPort.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
