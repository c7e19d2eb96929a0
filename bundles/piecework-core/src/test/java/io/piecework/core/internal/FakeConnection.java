package io.piecework.core.internal;

import io.piecework.wire.ExtendedHandshake;
import io.piecework.wire.Handshake;
import io.piecework.wire.HashRequest;
import io.piecework.wire.HashesMessage;
import io.piecework.wire.MetadataMessage;
import io.piecework.wire.PeerId;
import io.piecework.wire.PexMessage;
import io.piecework.transport.PeerConnection;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.roaringbitmap.RoaringBitmap;

/**
 * A peer connection without a network: records what the engine sends ("request 3 16384 16384",
 * "have 3", ...) and counts the messages sent while the torrent's lock was held by the sender.
 */
final class FakeConnection implements PeerConnection {
    private static int nextPort = 20000;
    private final InetSocketAddress address;
    private final List<String> sent = new ArrayList<>();
    private volatile BooleanSupplier lockHeld = () -> false;
    private int sentUnderLock;
    private int batches;
    private int sentInBatch;
    private boolean inBatch;
    volatile String closedFor;
    /** The info-hash of the handshake (a hybrid's v1 or truncated v2 hash), null by default. */
    volatile io.piecework.api.metainfo.InfoHash swarm;
    /** What the peer's BEP 10 handshake said, null until a test sets one. */
    volatile ExtendedHandshake extendedHandshake;
    /** Whether the connection runs over uTP. */
    volatile boolean utp;
    private final List<PexMessage> pexSent = new ArrayList<>();

    FakeConnection() {
        synchronized (FakeConnection.class) {
            address = new InetSocketAddress("127.0.0.1", nextPort++);
        }
    }

    /** Counts the sends made while {@code held} says the torrent's lock is held by the sender. */
    void watch(BooleanSupplier held) {
        lockHeld = held;
    }

    synchronized List<String> sent() {
        return new ArrayList<>(sent);
    }

    synchronized long count(String prefix) {
        return sent.stream().filter(s -> s.startsWith(prefix)).count();
    }

    synchronized int sentUnderLock() {
        return sentUnderLock;
    }

    /** Batches the engine handed this connection ({@link PeerConnection#batch}). */
    synchronized int batches() {
        return batches;
    }

    /** Messages sent from inside a batch. */
    synchronized int sentInBatch() {
        return sentInBatch;
    }

    @Override
    public void batch(Runnable sends) {
        synchronized (this) {
            batches++;
            inBatch = true;
        }
        try {
            sends.run();
        } finally {
            synchronized (this) {
                inBatch = false;
            }
        }
    }

    /** BEP 52 messages sent, in order: {@link HashesMessage}s and the {@link HashRequest}s of requests and rejects. */
    final List<Object> hashMessages = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public boolean hashRequest(HashRequest request) {
        hashMessages.add(request);
        send("hash request");
        return true;
    }

    @Override
    public boolean hashes(HashesMessage message) {
        hashMessages.add(message);
        send("hashes");
        return true;
    }

    @Override
    public boolean hashReject(HashRequest request) {
        hashMessages.add(request);
        send("hash reject");
        return true;
    }

    private synchronized void send(String message) {
        sent.add(message);
        if (inBatch) {
            sentInBatch++;
        }
        if (lockHeld.getAsBoolean()) {
            sentUnderLock++;
        }
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return address;
    }

    @Override
    public Handshake remoteHandshake() {
        return new Handshake(Handshake.ourReserved(false, true), swarm, PeerId.generate(new Random(1)));
    }

    @Override
    public boolean fastExtension() {
        return true;
    }

    @Override
    public boolean extensionProtocol() {
        return false;
    }

    @Override
    public ExtendedHandshake remoteExtendedHandshake() {
        return extendedHandshake;
    }

    @Override
    public boolean utp() {
        return utp;
    }

    synchronized List<PexMessage> pexSent() {
        return new ArrayList<>(pexSent);
    }

    @Override
    public void pieceCount(int pieces) {
    }

    @Override
    public boolean isWritable() {
        return true;
    }

    @Override
    public void pauseReading() {
    }

    @Override
    public void resumeReading() {
    }

    @Override
    public void choke() {
        send("choke");
    }

    @Override
    public void unchoke() {
        send("unchoke");
    }

    @Override
    public void interested() {
        send("interested");
    }

    @Override
    public void notInterested() {
        send("not-interested");
    }

    @Override
    public void have(int piece) {
        send("have " + piece);
    }

    @Override
    public void bitfield(RoaringBitmap pieces) {
        send("bitfield " + pieces.getCardinality());
    }

    @Override
    public void haveAll() {
        send("have-all");
    }

    @Override
    public void haveNone() {
        send("have-none");
    }

    @Override
    public void request(int piece, int begin, int length) {
        send("request " + piece + " " + begin + " " + length);
    }

    @Override
    public void cancel(int piece, int begin, int length) {
        send("cancel " + piece + " " + begin + " " + length);
    }

    @Override
    public void rejectRequest(int piece, int begin, int length) {
        send("reject " + piece + " " + begin + " " + length);
    }

    @Override
    public void allowedFast(int piece) {
    }

    @Override
    public void suggestPiece(int piece) {
    }

    @Override
    public void port(int port) {
    }

    @Override
    public void piece(int piece, int begin, ByteBuffer block) {
        send("piece " + piece + " " + begin + " " + block.remaining());
    }

    @Override
    public void piece(int piece, int begin, FileChannel file, long position, int length) {
        send("piece " + piece + " " + begin + " " + length);
    }

    @Override
    public void piece(int piece, int begin, FileChannel file, long position, int length, Runnable done) {
        send("piece " + piece + " " + begin + " " + length);
        done.run();
    }

    @Override
    public void extendedHandshake(ExtendedHandshake handshake) {
        send("extended-handshake");
    }

    @Override
    public boolean metadata(MetadataMessage message) {
        send("metadata");
        return true;
    }

    @Override
    public boolean pex(PexMessage message) {
        synchronized (this) {
            pexSent.add(message);
        }
        send("pex");
        return true;
    }

    @Override
    public void close(String reason) {
        closedFor = reason;
    }
}
