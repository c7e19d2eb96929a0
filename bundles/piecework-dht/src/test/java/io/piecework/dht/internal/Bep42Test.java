package io.piecework.dht.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.dht.KrpcCodec;
import io.piecework.dht.KrpcMessage;
import io.piecework.dht.NodeId;
import io.piecework.dht.SecureNodeId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BEP 42 in the node: replies tell the querist its address, and answers tell us ours. */
class Bep42Test {
    private final ScheduledThreadPoolExecutor loop = new ScheduledThreadPoolExecutor(1);
    private final Random random = new Random(42);
    private final List<byte[]> sent = new ArrayList<>();
    private final Node node = new Node(DhtSettings.loopback(), NodeId.random(random), loop, (to, d) -> sent.add(d),
            random, System::nanoTime);
    private final InetAddress ours = address("203.0.113.9");

    @AfterEach
    void stop() {
        loop.shutdownNow();
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private <T> T on(java.util.concurrent.Callable<T> task) throws Exception {
        return loop.submit(task).get(10, TimeUnit.SECONDS);
    }

    private KrpcMessage last() throws Exception {
        return KrpcCodec.decode(ByteBuffer.wrap(sent.get(sent.size() - 1)));
    }

    @Test
    void everyReplyTellsTheQueristTheAddressItCameFrom() throws Exception {
        InetSocketAddress asker = new InetSocketAddress("198.51.100.4", 51413);
        byte[] ping = KrpcCodec.ping("p1".getBytes(StandardCharsets.ISO_8859_1), NodeId.random(random), false);
        on(() -> {
            node.receive(asker, ByteBuffer.wrap(ping));
            return null;
        });
        assertEquals(asker, ((KrpcMessage.Response) last()).ip());
    }

    /** Pings {@code responder} and answers for it, claiming our address is {@code claimed}. */
    private void answer(InetSocketAddress responder, InetAddress claimed) throws Exception {
        on(() -> node.ping(responder));
        byte[] tx = ((KrpcMessage.Query) last()).transaction();
        byte[] reply = KrpcCodec.response(tx, NodeId.random(random), List.of(), List.of(), List.of(), null,
                new InetSocketAddress(claimed, 6881));
        on(() -> {
            node.receive(responder, ByteBuffer.wrap(reply));
            return null;
        });
    }

    @Test
    void ourAddressIsTakenOnlyWhenThreeHostsAgree() throws Exception {
        InetSocketAddress a = new InetSocketAddress("198.51.100.1", 6881);
        InetSocketAddress b = new InetSocketAddress("198.51.100.2", 6881);
        answer(a, ours);
        answer(a, ours); // the same host twice is one vote
        answer(new InetSocketAddress("198.51.100.1", 6882), ours); // another port, same host
        answer(b, address("192.0.2.66")); // a liar
        assertNull(on(node::externalAddress));
        answer(b, ours);
        assertNull(on(node::externalAddress));
        answer(new InetSocketAddress("198.51.100.3", 6881), ours);
        assertEquals(ours, on(node::externalAddress));
    }

    @Test
    void claimsOfManyAddressesAreBounded() {
        ExternalAddress votes = new ExternalAddress();
        for (int i = 0; i < 1000; i++) {
            assertNull(votes.vote(address("198.51.100." + (i % 250)), address("192.0.2." + (i % 250))));
        }
        // Every candidate slot is taken by addresses with one or two votes; a new one is not counted.
        assertNull(votes.vote(address("198.51.100.1"), ours));
        assertNull(votes.vote(address("198.51.100.2"), ours));
        assertNull(votes.vote(address("198.51.100.3"), ours));
        assertNull(votes.decided());
    }

    @Test
    void theNextStartTakesAnIdThatMatchesTheSavedAddress(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("dht.dat");
        NodeId random = NodeId.random(this.random);
        StateFile.save(file, random, List.of(), ours);
        NodeId next = StateFile.idFor(StateFile.load(file), this.random);
        assertNotEquals(random, next);
        assertTrue(SecureNodeId.matches(next, ours));
        StateFile.save(file, next, List.of(), ours);
        assertEquals(next, StateFile.idFor(StateFile.load(file), this.random), "a matching id is kept");
        StateFile.save(file, random, List.of());
        assertEquals(random, StateFile.idFor(StateFile.load(file), this.random), "no address known: kept");
    }
}
