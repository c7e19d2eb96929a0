package io.piecework.tracker;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.bencode.BDictionary;
import io.piecework.bencode.BInteger;
import io.piecework.bencode.BList;
import io.piecework.bencode.BString;
import io.piecework.bencode.BValue;
import io.piecework.bencode.Bencode;
import io.piecework.bencode.BencodeException;
import io.piecework.bencode.BencodeLimits;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** HTTP tracker requests (URLs) and responses (bencoded bodies): BEP 3, 7, 23 and 48. */
public final class HttpTrackerCodec {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private HttpTrackerCodec() {
    }

    /** The announce URL: the tracker's URL (which may carry a query of its own) plus our parameters. */
    public static URI announceUri(URI tracker, AnnounceRequest r) {
        StringBuilder q = new StringBuilder(256);
        q.append("info_hash=");
        escape(r.infoHash().bytes(), q);
        q.append("&peer_id=");
        escape(r.peerId(), q);
        q.append("&port=").append(r.port())
                .append("&uploaded=").append(Math.max(0, r.uploaded()))
                .append("&downloaded=").append(Math.max(0, r.downloaded()))
                .append("&left=").append(Math.max(0, r.left()))
                .append("&compact=1")
                .append("&key=").append(String.format(Locale.ROOT, "%08X", r.key()));
        if (r.numWant() >= 0) {
            q.append("&numwant=").append(r.numWant());
        }
        if (r.event().httpName() != null) {
            q.append("&event=").append(r.event().httpName());
        }
        byte[] trackerId = r.trackerId();
        if (trackerId != null) {
            q.append("&trackerid=");
            escape(trackerId, q);
        }
        return withQuery(tracker, q.toString());
    }

    /**
     * The scrape URL (BEP 48): the announce URL with {@code announce} at the start of the
     * path's last segment replaced by {@code scrape}; empty when the URL has no such segment.
     */
    public static Optional<URI> scrapeUri(URI announce, List<InfoHash> hashes) {
        String path = announce.getRawPath();
        if (path == null) {
            return Optional.empty();
        }
        int slash = path.lastIndexOf('/');
        if (!path.startsWith("announce", slash + 1)) {
            return Optional.empty();
        }
        String scrapePath = path.substring(0, slash + 1) + "scrape" + path.substring(slash + 1 + "announce".length());
        StringBuilder q = new StringBuilder();
        for (InfoHash h : hashes) {
            q.append(q.length() == 0 ? "" : "&").append("info_hash=");
            escape(h.bytes(), q);
        }
        String base = announce.getScheme() + "://" + announce.getRawAuthority() + scrapePath
                + (announce.getRawQuery() == null ? "" : "?" + announce.getRawQuery());
        return Optional.of(withQuery(URI.create(base), q.toString()));
    }

    private static URI withQuery(URI uri, String query) {
        String s = uri.toString();
        int hash = s.indexOf('#');
        if (hash >= 0) {
            s = s.substring(0, hash);
        }
        String sep = uri.getRawQuery() == null ? "?" : (s.endsWith("&") || s.endsWith("?") ? "" : "&");
        try {
            return new URI(s + sep + query);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("bad tracker URL " + uri, e);
        }
    }

    /** Percent-encodes every byte except RFC 3986's unreserved characters. */
    static void escape(byte[] bytes, StringBuilder out) {
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 15]);
            }
        }
    }

    /** Parses an announce response body. A {@code failure reason} becomes a tracker-reported exception. */
    public static AnnounceResponse parseAnnounce(byte[] body, TrackerLimits limits) throws TrackerException {
        BDictionary d = decode(body, limits);
        failure(d, limits);
        PeerList peers = new PeerList(limits.maxPeers());
        BValue v4 = d.get("peers");
        if (v4 instanceof BString s) {
            if (s.length() % 6 != 0) {
                throw TrackerException.malformed("compact peers of " + s.length() + " bytes is not a multiple of 6");
            }
            peers.addCompact(s.buffer(), 4);
        } else if (v4 instanceof BList l) {
            for (BValue item : l.items()) {
                if (peers.full()) {
                    break;
                }
                dictionaryPeer(item, peers);
            }
        } else if (v4 != null) {
            throw TrackerException.malformed("peers is neither a string nor a list");
        }
        BValue v6 = d.get("peers6");
        if (v6 instanceof BString s) {
            if (s.length() % 18 != 0) {
                throw TrackerException.malformed("compact peers6 of " + s.length() + " bytes is not a multiple of 18");
            }
            peers.addCompact(s.buffer(), 16);
        } else if (v6 != null) {
            throw TrackerException.malformed("peers6 is not a string");
        }
        String warning = d.string("warning message").map(s -> limits.clip(s.utf8())).orElse(null);
        byte[] trackerId = d.string("tracker id").filter(s -> s.length() <= 256).map(BString::bytes).orElse(null);
        return new AnnounceResponse(seconds(d, "interval"), seconds(d, "min interval"), count(d, "complete"),
                count(d, "incomplete"), peers.toList(), warning, trackerId);
    }

    private static void dictionaryPeer(BValue item, PeerList peers) throws TrackerException {
        if (!(item instanceof BDictionary p)) {
            throw TrackerException.malformed("a peer is not a dictionary");
        }
        Optional<BString> ip = p.string("ip");
        Optional<BInteger> port = p.integer("port");
        if (ip.isEmpty() || port.isEmpty()) {
            throw TrackerException.malformed("a peer lacks ip or port");
        }
        long portValue = port.get().value();
        if (portValue < 0 || portValue > 0xffff) {
            throw TrackerException.malformed("peer port out of range: " + portValue);
        }
        // Host names are skipped, not resolved: the tracker is untrusted.
        byte[] address = ip.get().length() <= 45 ? PeerList.literal(ip.get().latin1()) : null;
        if (address != null) {
            peers.add(address, (int) portValue);
        }
    }

    /** Parses a scrape response body; torrents other than 20-byte keys are ignored. */
    public static Map<InfoHash, ScrapeStats> parseScrape(byte[] body, TrackerLimits limits) throws TrackerException {
        BDictionary d = decode(body, limits);
        failure(d, limits);
        BDictionary files = d.dictionary("files")
                .orElseThrow(() -> TrackerException.malformed("scrape response has no files dictionary"));
        Map<InfoHash, ScrapeStats> out = new LinkedHashMap<>();
        for (Map.Entry<String, BValue> e : files.entries().entrySet()) {
            byte[] key = e.getKey().getBytes(StandardCharsets.ISO_8859_1);
            if (key.length != InfoHash.LENGTH || !(e.getValue() instanceof BDictionary f)) {
                continue;
            }
            out.put(InfoHash.of(key), new ScrapeStats(longCount(f, "complete"), longCount(f, "downloaded"),
                    longCount(f, "incomplete")));
        }
        return out;
    }

    private static BDictionary decode(byte[] body, TrackerLimits limits) throws TrackerException {
        if (body.length > limits.maxResponseBytes()) {
            throw TrackerException.malformed("response of " + body.length + " bytes exceeds " + limits.maxResponseBytes());
        }
        // A response's value count is bounded by its size; depth beyond a few levels is never legitimate.
        BencodeLimits b = new BencodeLimits(8, limits.maxResponseBytes(), limits.maxResponseBytes(),
                Math.max(16, limits.maxResponseBytes() / 2));
        BValue v;
        try {
            v = Bencode.decode(body, b);
        } catch (BencodeException e) {
            throw new TrackerException("response is not bencode: " + e.getMessage(), e);
        }
        if (!(v instanceof BDictionary d)) {
            throw TrackerException.malformed("response is not a dictionary");
        }
        return d;
    }

    private static void failure(BDictionary d, TrackerLimits limits) throws TrackerException {
        BValue f = d.get("failure reason");
        if (f != null) {
            String text = f instanceof BString s ? s.utf8() : String.valueOf(f);
            throw new TrackerException(limits.clip(text), true);
        }
    }

    private static int seconds(BDictionary d, String key) throws TrackerException {
        BValue v = d.get(key);
        if (v == null) {
            return -1;
        }
        if (!(v instanceof BInteger i)) {
            throw TrackerException.malformed(key + " is not an integer");
        }
        // Negative or absurd values are clamped here; the scheduler applies its own floor.
        return (int) Math.max(0, Math.min(i.value(), 7L * 24 * 3600));
    }

    private static int count(BDictionary d, String key) {
        return (int) Math.min(Integer.MAX_VALUE, longCount(d, key));
    }

    private static long longCount(BDictionary d, String key) {
        return d.integer(key).map(BInteger::value).filter(x -> x >= 0).orElse(-1L);
    }
}
