package io.piecework.transport.utp.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Two uTP sockets joined by a simulated path on a simulated clock: every packet is encoded,
 * delayed, perhaps dropped or reordered, and decoded on the other side, so the tests run the
 * real codec and the real state machines without sockets or sleeps.
 */
final class Link {
    private record InFlight(long at, long order, boolean toAcceptor, byte[] bytes) {
    }

    final Side initiator = new Side(false);
    final Side acceptor = new Side(true);
    private final PriorityQueue<InFlight> path = new PriorityQueue<>((a, b) -> a.at != b.at
            ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
    private final Random random;
    private final double loss;
    private final long delayMicros;
    private final long jitterMicros;
    private long order;
    long now;
    int dropped;
    boolean cut;
    /**
     * The initiator's next this-many new DATA packets are dropped (their resends are not): a
     * burst, as a full socket buffer drops what arrives while it is full.
     */
    int burst;
    private final java.util.Set<Integer> seen = new java.util.HashSet<>();

    Link(long seed, double loss, long delayMicros, long jitterMicros) {
        this.random = new Random(seed);
        this.loss = loss;
        this.delayMicros = delayMicros;
        this.jitterMicros = jitterMicros;
    }

    /** One end: its socket and what reached its application. */
    final class Side implements UtpSocket.Output {
        final boolean isAcceptor;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        UtpSocket socket;
        String closed;
        boolean peerFinished;
        int sent;

        Side(boolean isAcceptor) {
            this.isAcceptor = isAcceptor;
        }

        @Override
        public void send(Packet packet) {
            sent++;
            ByteBuffer bytes = UtpCodec.encode(packet);
            boolean first = !isAcceptor && packet.type() == PacketType.DATA && seen.add(packet.seqNr());
            boolean inBurst = first && burst > 0 && burst-- > 0;
            if (cut || inBurst || random.nextDouble() < loss) {
                dropped++;
                return;
            }
            long jitter = jitterMicros == 0 ? 0 : (long) (random.nextDouble() * jitterMicros);
            path.add(new InFlight(now + delayMicros + jitter, order++, !isAcceptor, bytes.array()));
        }

        @Override
        public void received(ByteBuffer data) {
            byte[] copy = new byte[data.remaining()];
            data.get(copy);
            received.write(copy, 0, copy.length);
        }

        @Override
        public void closed(String reason) {
            closed = reason;
        }

        @Override
        public void peerFinished() {
            peerFinished = true;
        }
    }

    void connect() {
        initiator.socket = UtpSocket.connect(0x1234, 500, now, initiator);
    }

    /** Runs the clock until {@code done} holds or {@code limitMicros} of simulated time pass. */
    boolean runUntil(java.util.function.BooleanSupplier done, long limitMicros) throws UtpCodec.FormatException {
        long end = now + limitMicros;
        while (!done.getAsBoolean()) {
            long next = Math.min(path.isEmpty() ? Long.MAX_VALUE : path.peek().at, nextDeadline());
            if (next == Long.MAX_VALUE || next > end) {
                return false;
            }
            now = Math.max(now, next);
            if (!path.isEmpty() && path.peek().at <= now) {
                InFlight p = path.poll();
                Packet packet = UtpCodec.decode(ByteBuffer.wrap(p.bytes));
                Side to = p.toAcceptor ? acceptor : initiator;
                if (to.socket == null && packet.type() == PacketType.SYN) {
                    to.socket = UtpSocket.accept(packet, 40_000, now, to);
                } else if (to.socket != null) {
                    to.socket.receive(packet, now);
                }
                if (path.isEmpty() || path.peek().at > now) {
                    // The end of what arrived together: the ACKs owed go, as the endpoint sends
                    // them once per batch of datagrams read.
                    for (Side side : new Side[] {initiator, acceptor}) {
                        if (side.socket != null) {
                            side.socket.sendPendingAck(now);
                        }
                    }
                }
            }
            for (Side side : new Side[] {initiator, acceptor}) {
                if (side.socket != null && side.socket.deadline() <= now) {
                    side.socket.tick(now);
                }
            }
        }
        return true;
    }

    private long nextDeadline() {
        long d = Long.MAX_VALUE;
        for (Side side : new Side[] {initiator, acceptor}) {
            if (side.socket != null) {
                d = Math.min(d, side.socket.deadline());
            }
        }
        return d;
    }
}
