package io.piecework.transport.utp.internal;

import io.piecework.api.udp.SharedUdpSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The uTP endpoint's socket as others see it ({@link SharedUdpSocket}): datagrams whose first
 * byte someone claimed go to them, the rest is uTP. A uTP packet's first byte is its type in
 * the high nibble and version 1 in the low one (0x01, 0x11, 0x21, 0x31, 0x41), so those cannot be
 * claimed; KRPC's {@code d} (0x64) never is one. Created before the socket is bound, so the
 * service can be offered first and a DHT holding the port can let go of it.
 */
final class UdpShare implements SharedUdpSocket {
    private final InetSocketAddress local;
    private final AtomicReferenceArray<Receiver> claims = new AtomicReferenceArray<>(256);
    private final AtomicLong dropped = new AtomicLong();
    private volatile UtpEndpoint endpoint;

    UdpShare(InetSocketAddress local) {
        if (local.getPort() == 0) {
            throw new IllegalArgumentException("a shared socket needs its port before binding: " + local);
        }
        this.local = local;
    }

    void attach(UtpEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public Claim claim(byte firstByte, Receiver receiver) {
        int b = firstByte & 0xFF;
        if ((b & 0x0F) == UtpCodec.VERSION && (b >> 4) <= PacketType.SYN.code()) {
            throw new IllegalStateException("first byte 0x" + Integer.toHexString(b) + " is uTP's");
        }
        if (!claims.compareAndSet(b, null, receiver)) {
            throw new IllegalStateException("first byte 0x" + Integer.toHexString(b) + " is already claimed");
        }
        return () -> claims.compareAndSet(b, receiver, null);
    }

    @Override
    public void send(ByteBuffer datagram, InetSocketAddress to) {
        UtpEndpoint e = endpoint;
        if (e != null) {
            e.sendRaw(datagram, to);
        }
    }

    /**
     * Hands a datagram to its claimant; false when it has none (it is uTP's). A claimant that
     * throws loses the datagram, counted: it never reaches uTP's parser.
     */
    boolean offer(ByteBuffer datagram, InetSocketAddress sender) {
        if (!datagram.hasRemaining()) {
            return false;
        }
        Receiver r = claims.get(datagram.get(datagram.position()) & 0xFF);
        if (r == null) {
            return false;
        }
        try {
            r.datagram(datagram, sender);
        } catch (RuntimeException e) {
            dropped.incrementAndGet();
        }
        return true;
    }

    /** Claimed datagrams whose receiver failed on them. */
    long dropped() {
        return dropped.get();
    }
}
