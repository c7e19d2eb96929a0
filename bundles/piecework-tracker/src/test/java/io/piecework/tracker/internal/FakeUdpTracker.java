package io.piecework.tracker.internal;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A scriptable UDP tracker on loopback: every request is recorded, the script picks the replies. */
final class FakeUdpTracker implements AutoCloseable {
    /** A request as received: its action, transaction id and connection id (the magic for connects). */
    record Request(long connectionId, int action, int transactionId, byte[] bytes, InetSocketAddress from) {
    }

    interface Script {
        /** Replies to send for the n-th request (0-based); an empty list drops it. */
        List<byte[]> reply(Request r, int n);
    }

    final DatagramSocket socket;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Thread thread;
    volatile Script script;

    FakeUdpTracker(InetAddress address, Script script) throws SocketException {
        this.socket = new DatagramSocket(new InetSocketAddress(address, 0));
        this.script = script;
        this.thread = new Thread(this::loop, "fake-udp-tracker");
        thread.setDaemon(true);
        thread.start();
    }

    URI uri() {
        InetAddress a = socket.getLocalAddress();
        String host = a.getHostAddress().contains(":") ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
        return URI.create("udp://" + host + ":" + socket.getLocalPort() + "/announce");
    }

    private void loop() {
        byte[] buf = new byte[2048];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (IOException e) {
                return;
            }
            ByteBuffer b = ByteBuffer.wrap(p.getData(), 0, p.getLength());
            byte[] bytes = new byte[p.getLength()];
            System.arraycopy(p.getData(), 0, bytes, 0, bytes.length);
            Request r = new Request(b.getLong(), b.getInt(), b.getInt(), bytes, (InetSocketAddress) p.getSocketAddress());
            int n = requests.size();
            requests.add(r);
            for (byte[] reply : script.reply(r, n)) {
                try {
                    socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                } catch (IOException e) {
                    return;
                }
            }
        }
    }

    long count(int action) {
        return requests.stream().filter(r -> r.action() == action).count();
    }

    static byte[] connected(int tx, long connectionId) {
        return ByteBuffer.allocate(16).putInt(0).putInt(tx).putLong(connectionId).array();
    }

    static byte[] announced(int tx, int interval, byte[] peers) {
        return ByteBuffer.allocate(20 + peers.length).putInt(1).putInt(tx).putInt(interval).putInt(1).putInt(2)
                .put(peers).array();
    }

    static byte[] error(int tx, String message) {
        byte[] m = message.getBytes();
        return ByteBuffer.allocate(8 + m.length).putInt(3).putInt(tx).put(m).array();
    }

    /** Answers connects with connection id 7 and announces with the given peers, like a sane tracker. */
    static Script sane(byte[] peers) {
        return (r, n) -> List.of(r.action() == 0 ? connected(r.transactionId(), 7) : announced(r.transactionId(), 1800, peers));
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(5_000);
    }
}
