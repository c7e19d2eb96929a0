package io.piecework.core.internal;

import io.piecework.wire.PexMessage;
import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Peer exchange (BEP 11): what to tell a peer (listen addresses that joined and left since
 * our last message to it) and which of the peers it tells us to dial. Never used for private
 * torrents.
 */
final class Pex {
    static final int INTERVAL_SECONDS = 60;
    /** BEP 11 asks for at most 50 added and 50 dropped per message. */
    static final int MAX_PER_MESSAGE = 50;

    private Pex() {
    }

    /**
     * The next message for one peer, or null when nothing changed; updates {@code sent} to
     * what the message tells it.
     *
     * @param now  listen addresses of our connected peers, each with its flags from {@link #flags}
     * @param self the receiving peer's own address, never sent back to it
     */
    static PexMessage next(Set<InetSocketAddress> sent, Map<InetSocketAddress, Integer> now, InetSocketAddress self) {
        List<InetSocketAddress> added = new ArrayList<>();
        ByteArrayOutputStream addedFlags = new ByteArrayOutputStream();
        List<InetSocketAddress> added6 = new ArrayList<>();
        ByteArrayOutputStream added6Flags = new ByteArrayOutputStream();
        List<InetSocketAddress> dropped = new ArrayList<>();
        List<InetSocketAddress> dropped6 = new ArrayList<>();
        int addCount = 0;
        for (Map.Entry<InetSocketAddress, Integer> e : now.entrySet()) {
            InetSocketAddress a = e.getKey();
            if (addCount == MAX_PER_MESSAGE || a.equals(self) || a.getAddress() == null || sent.contains(a)) {
                continue;
            }
            int flags = e.getValue();
            if (a.getAddress() instanceof Inet4Address) {
                added.add(a);
                addedFlags.write(flags);
            } else {
                added6.add(a);
                added6Flags.write(flags);
            }
            sent.add(a);
            addCount++;
        }
        int dropCount = 0;
        for (Iterator<InetSocketAddress> it = sent.iterator(); it.hasNext() && dropCount < MAX_PER_MESSAGE; ) {
            InetSocketAddress a = it.next();
            if (!now.containsKey(a)) {
                (a.getAddress() instanceof Inet4Address ? dropped : dropped6).add(a);
                it.remove();
                dropCount++;
            }
        }
        if (addCount == 0 && dropCount == 0) {
            return null;
        }
        return new PexMessage(added, addedFlags.toByteArray(), dropped, added6, added6Flags.toByteArray(), dropped6);
    }

    /**
     * What we tell about a peer we know the listen address of (so it is connectable): whether it
     * seeds, and whether it speaks uTP (BEP 11's 0x04: we reached it over uTP, or a PEX message
     * said so), so that a libtorrent or Transmission hearing of it dials uTP first as we do.
     */
    static int flags(boolean seed, boolean utp) {
        return PexMessage.FLAG_CONNECTABLE | (seed ? PexMessage.FLAG_SEED : 0) | (utp ? PexMessage.FLAG_UTP : 0);
    }

    /**
     * Holds one peer to BEP 11's pace for the messages it sends us: one is honoured per
     * interval, those that come sooner are dropped unread. The interval is three quarters of
     * ours (45 s by default; BEP 11 asks for 60), leaving room for the sender's timer jitter.
     * Called on the peer's event loop only.
     */
    static final class Gate {
        private long honouredAt;
        private boolean any;

        /** @return whether the message that came {@code now} is to be read */
        boolean admit(long now, int intervalSeconds) {
            long interval = TimeUnit.SECONDS.toNanos(Math.max(1, intervalSeconds)) * 3 / 4;
            if (any && now - honouredAt < interval) {
                return false;
            }
            any = true;
            honouredAt = now;
            return true;
        }
    }

    /** The peers a message adds that are worth dialling, at most {@value #MAX_PER_MESSAGE}. */
    static List<InetSocketAddress> connectable(PexMessage message) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (InetSocketAddress a : message.added()) {
            if (out.size() < MAX_PER_MESSAGE && a.getPort() != 0 && !a.getAddress().isAnyLocalAddress()) {
                out.add(a);
            }
        }
        for (InetSocketAddress a : message.added6()) {
            if (out.size() < MAX_PER_MESSAGE && a.getPort() != 0 && !a.getAddress().isAnyLocalAddress()) {
                out.add(a);
            }
        }
        return out;
    }
}
