package io.piecework.wire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.Channel;
import io.netty.channel.RecvByteBufAllocator;
import io.piecework.transport.PeerConnection;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

/** How much one socket read may take, on both ends of a connection. */
class ReadSizeTest {
    @Test
    void readsGrowTo256KiBOnABusyConnectionBothWays() throws Exception {
        TransportSettings s = TransportSettings.defaults().withListen("127.0.0.1", 0);
        NettyPeerTransport seeder = new NettyPeerTransport(s, RoaringBitmap::new);
        NettyPeerTransport leecher = new NettyPeerTransport(s.withListen("127.0.0.1", -1), RoaringBitmap::new);
        try {
            Events seeding = new Events(4);
            seeder.register(PeerChannelTest.HASH, seeding);
            leecher.register(PeerChannelTest.HASH, new Events(4));
            PeerConnection dialled = leecher.connect(PeerChannelTest.HASH,
                    new InetSocketAddress("127.0.0.1", seeder.port())).get(10, TimeUnit.SECONDS);
            PeerConnection accepted = seeding.connections.poll(10, TimeUnit.SECONDS);
            assertEquals(256 * 1024, largestRead(((PeerChannel) dialled).channel()), "dialled");
            assertEquals(256 * 1024, largestRead(((PeerChannel) accepted).channel()), "accepted");
        } finally {
            leecher.close();
            seeder.close();
        }
    }

    /** The read size the channel's allocator settles on when every read fills its buffer. */
    private static int largestRead(Channel channel) {
        RecvByteBufAllocator.Handle reads = channel.config().getRecvByteBufAllocator().newHandle();
        int largest = 0;
        for (int i = 0; i < 100; i++) {
            reads.reset(channel.config());
            int guess = reads.guess();
            largest = Math.max(largest, guess);
            reads.lastBytesRead(guess);
            reads.readComplete();
        }
        return largest;
    }
}
