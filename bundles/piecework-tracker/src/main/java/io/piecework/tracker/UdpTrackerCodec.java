package io.piecework.tracker;

import io.piecework.api.metainfo.InfoHash;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** BEP 15 packets. All values are big-endian. */
public final class UdpTrackerCodec {
    public static final long PROTOCOL_ID = 0x41727101980L;
    public static final int CONNECT = 0;
    public static final int ANNOUNCE = 1;
    public static final int SCRAPE = 2;
    public static final int ERROR = 3;
    /** "Up to about 74 torrents can be scraped at once." */
    public static final int MAX_SCRAPE = 74;

    private UdpTrackerCodec() {
    }

    public static byte[] connect(int transactionId) {
        return ByteBuffer.allocate(16).putLong(PROTOCOL_ID).putInt(CONNECT).putInt(transactionId).array();
    }

    public static byte[] announce(long connectionId, int transactionId, AnnounceRequest r) {
        ByteBuffer b = ByteBuffer.allocate(98);
        b.putLong(connectionId).putInt(ANNOUNCE).putInt(transactionId);
        b.put(r.infoHash().bytes()).put(r.peerId());
        b.putLong(Math.max(0, r.downloaded())).putLong(Math.max(0, r.left())).putLong(Math.max(0, r.uploaded()));
        b.putInt(r.event().udpCode());
        b.putInt(0); // IP address: the packet's source (and never a claimed one, BEP 7)
        b.putInt(r.key());
        b.putInt(r.numWant() < 0 ? -1 : r.numWant());
        b.putShort((short) r.port());
        return b.array();
    }

    public static byte[] scrape(long connectionId, int transactionId, List<InfoHash> hashes) {
        if (hashes.isEmpty() || hashes.size() > MAX_SCRAPE) {
            throw new IllegalArgumentException("scrape 1 to " + MAX_SCRAPE + " torrents, not " + hashes.size());
        }
        ByteBuffer b = ByteBuffer.allocate(16 + 20 * hashes.size());
        b.putLong(connectionId).putInt(SCRAPE).putInt(transactionId);
        for (InfoHash h : hashes) {
            b.put(h.bytes());
        }
        return b.array();
    }

    /** The transaction id of a response, or empty when the packet is too short to have one. */
    public static java.util.OptionalInt transactionId(ByteBuffer packet) {
        return packet.remaining() < 8 ? java.util.OptionalInt.empty()
                : java.util.OptionalInt.of(packet.getInt(packet.position() + 4));
    }

    /**
     * Decodes a response. The address family of the packet's sender decides the peer format
     * ({@code ipv6}: 18 bytes per peer, else 6). Bytes past the last whole peer or scrape line
     * are ignored, as BEP 15 allows packets to grow. {@code scraped} is the number of torrents
     * asked in a scrape, so a tracker cannot make us keep more lines.
     */
    public static UdpPacket decode(ByteBuffer packet, boolean ipv6, int scraped, TrackerLimits limits)
            throws TrackerException {
        ByteBuffer in = packet.duplicate().order(java.nio.ByteOrder.BIG_ENDIAN);
        if (in.remaining() < 8) {
            throw TrackerException.malformed("packet of " + in.remaining() + " bytes");
        }
        int action = in.getInt();
        int tx = in.getInt();
        switch (action) {
            case CONNECT:
                if (in.remaining() < 8) {
                    throw TrackerException.malformed("connect response of " + (in.remaining() + 8) + " bytes");
                }
                return new UdpPacket.Connected(tx, in.getLong());
            case ANNOUNCE: {
                if (in.remaining() < 12) {
                    throw TrackerException.malformed("announce response of " + (in.remaining() + 8) + " bytes");
                }
                int interval = clampSeconds(in.getInt());
                int leechers = in.getInt();
                int seeders = in.getInt();
                PeerList peers = new PeerList(limits.maxPeers());
                peers.addCompact(in, ipv6 ? 16 : 4);
                return new UdpPacket.Announced(tx, new AnnounceResponse(interval, -1, Math.max(-1, seeders),
                        Math.max(-1, leechers), peers.toList(), null, null));
            }
            case SCRAPE: {
                List<ScrapeStats> stats = new ArrayList<>();
                while (in.remaining() >= 12 && stats.size() < scraped) {
                    stats.add(new ScrapeStats(in.getInt() & 0xffffffffL, in.getInt() & 0xffffffffL,
                            in.getInt() & 0xffffffffL));
                }
                return new UdpPacket.Scraped(tx, stats);
            }
            case ERROR: {
                int n = Math.min(in.remaining(), limits.maxMessageChars() * 4);
                byte[] text = new byte[n];
                in.get(text);
                return new UdpPacket.Error(tx, limits.clip(new String(text, StandardCharsets.UTF_8)));
            }
            default:
                throw TrackerException.malformed("unknown action " + action);
        }
    }

    private static int clampSeconds(int s) {
        return s < 0 ? 0 : Math.min(s, 7 * 24 * 3600);
    }
}
