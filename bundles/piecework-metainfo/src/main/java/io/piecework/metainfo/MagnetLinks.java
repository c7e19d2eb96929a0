package io.piecework.metainfo;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.InfoHashV2;
import io.piecework.api.metainfo.InvalidTorrentException;
import io.piecework.api.metainfo.MagnetLink;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.text.Untrusted;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Magnet URIs (BEP 9), with BEP 52 {@code urn:btmh:} v2 info-hashes (alone or beside
 * {@code urn:btih:}), BEP 53 {@code so} file selection, {@code x.pe} peers and BEP 19
 * {@code ws} web seeds. Parsing
 * percent-decodes values as UTF-8 ('+' as a space, as libtorrent does) and ignores parameters
 * it does not know; writing percent-encodes everything but RFC 3986 unreserved characters.
 */
public final class MagnetLinks {
    /** Most file indices a {@code so} parameter may expand to. */
    public static final int MAX_SELECTED = 100_000;
    /** Most {@code ws} web seeds one link may carry (the web seed bundle uses 8 by default). */
    public static final int MAX_WEB_SEEDS = 32;
    private static final String PREFIX = "magnet:?";
    private static final String BTIH = "urn:btih:";
    private static final String BTMH = "urn:btmh:";
    /** Multihash prefix: function 0x12 (SHA2-256), digest length 0x20. */
    private static final String SHA256_MULTIHASH = "1220";

    private MagnetLinks() {
    }

    public static MagnetLink parse(String uri) throws InvalidTorrentException {
        if (uri.length() < PREFIX.length() || !uri.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw new InvalidTorrentException("magnet", "not a magnet URI (must start with 'magnet:?')");
        }
        InfoHash hash = null;
        InfoHashV2 v2 = null;
        String name = null;
        List<String> trackers = new ArrayList<>();
        List<String> peers = new ArrayList<>();
        List<Integer> select = List.of();
        List<String> webSeeds = new ArrayList<>();
        for (String param : uri.substring(PREFIX.length()).split("&")) {
            int eq = param.indexOf('=');
            if (eq <= 0) {
                continue; // empty or valueless parameters carry nothing we use
            }
            // Names in any case, as the scheme: 'MAGNET:?XT=...' is the same link.
            String key = decode(param.substring(0, eq), "magnet").toLowerCase(Locale.ROOT);
            String value = decode(param.substring(eq + 1), key);
            switch (key) {
                case "xt" -> {
                    if (value.regionMatches(true, 0, BTIH, 0, BTIH.length())) {
                        if (hash != null) {
                            throw new InvalidTorrentException("xt", "more than one urn:btih info-hash");
                        }
                        hash = infoHash(value.substring(BTIH.length()));
                    } else if (value.regionMatches(true, 0, BTMH, 0, BTMH.length())) {
                        if (v2 != null) {
                            throw new InvalidTorrentException("xt", "more than one urn:btmh info-hash");
                        }
                        v2 = multihash(value.substring(BTMH.length()));
                    }
                }
                case "dn" -> name = name == null ? value : name;
                case "tr" -> addOnce(trackers, value);
                case "x.pe" -> addOnce(peers, peer(value));
                case "so" -> select = selectOnly(value);
                case "ws" -> addOnce(webSeeds, webSeed(value, webSeeds.size()));
                default -> { }
            }
        }
        if (hash == null && v2 == null) {
            throw new InvalidTorrentException("xt", "missing xt=urn:btih: (v1) or xt=urn:btmh: (v2) info-hash");
        }
        // A v2-only link is known on the wire by its truncated v2 hash (BEP 52).
        return new MagnetLink(hash != null ? hash : v2.truncated(), Optional.ofNullable(name), trackers, peers,
                select, Optional.ofNullable(v2), webSeeds);
    }

    /**
     * BEP 52: a multihash in hex, {@code 12} (SHA-256) {@code 20} (32 bytes) then the 64 hex
     * digits of the v2 info-hash. Checked by length first, so a long value costs nothing.
     */
    private static InfoHashV2 multihash(String text) throws InvalidTorrentException {
        if (text.length() != SHA256_MULTIHASH.length() + 2 * InfoHashV2.LENGTH) {
            throw new InvalidTorrentException("xt", "urn:btmh: must be " + SHA256_MULTIHASH
                    + " followed by 64 hex digits (a SHA-256 multihash), got " + text.length() + " characters");
        }
        if (!text.regionMatches(true, 0, SHA256_MULTIHASH, 0, SHA256_MULTIHASH.length())) {
            throw new InvalidTorrentException("xt", "urn:btmh: multihash '" + Untrusted.text(text.substring(0, 4))
                    + "' is not " + SHA256_MULTIHASH + " (SHA-256, 32 bytes), the only one BEP 52 uses");
        }
        try {
            return InfoHashV2.parse(text.substring(SHA256_MULTIHASH.length()));
        } catch (IllegalArgumentException e) {
            throw new InvalidTorrentException("xt", Untrusted.text(e.getMessage()));
        }
    }

    /** Writes {@code btih} unless the link is v2-only, and {@code btmh} when it has a v2 hash. */
    public static String format(MagnetLink magnet) {
        StringBuilder sb = new StringBuilder(PREFIX);
        if (!magnet.v2Only()) {
            sb.append("xt=").append(BTIH).append(magnet.infoHash().hex());
        }
        magnet.infoHashV2().ifPresent(v2 -> sb.append(sb.length() > PREFIX.length() ? "&" : "")
                .append("xt=").append(BTMH).append(SHA256_MULTIHASH).append(v2.hex()));
        magnet.displayName().ifPresent(n -> sb.append("&dn=").append(encode(n)));
        magnet.trackers().forEach(t -> sb.append("&tr=").append(encode(t)));
        magnet.peers().forEach(p -> sb.append("&x.pe=").append(encode(p)));
        if (!magnet.selectOnly().isEmpty()) {
            sb.append("&so=").append(ranges(magnet.selectOnly()));
        }
        magnet.webSeeds().forEach(w -> sb.append("&ws=").append(encode(w)));
        return sb.toString();
    }

    /** The magnet of a torrent: its info-hash(es), name and trackers in tier order. */
    public static MagnetLink of(TorrentMetainfo torrent) {
        List<String> trackers = new ArrayList<>();
        torrent.trackerTiers().forEach(tier -> tier.forEach(t -> addOnce(trackers, t)));
        return new MagnetLink(torrent.infoHash(), Optional.of(torrent.name()), trackers, List.of(), List.of(),
                torrent.infoHashV2());
    }

    private static InfoHash infoHash(String text) throws InvalidTorrentException {
        try {
            return InfoHash.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidTorrentException("xt", Untrusted.text(e.getMessage()));
        }
    }

    /**
     * BEP 19 {@code ws}: an absolute http or https URL with a host, bounded like a url-list
     * entry ({@link MetainfoParser#MAX_TEXT_BYTES}), at most {@link #MAX_WEB_SEEDS} per link.
     * Anything else refuses the link with a clear error: a web seed the user gave and we
     * silently dropped would be worse.
     */
    static String webSeed(String value, int before) throws InvalidTorrentException {
        String url = value.strip();
        if (before >= MAX_WEB_SEEDS) {
            throw new InvalidTorrentException("ws", "more than " + MAX_WEB_SEEDS + " web seeds");
        }
        if (url.getBytes(StandardCharsets.UTF_8).length > MetainfoParser.MAX_TEXT_BYTES) {
            throw new InvalidTorrentException("ws", "web seed URL longer than " + MetainfoParser.MAX_TEXT_BYTES + " bytes");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw badWebSeed(url, "not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw badWebSeed(url, "only http and https web seeds are supported");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw badWebSeed(url, "no host");
        }
        return url;
    }

    private static InvalidTorrentException badWebSeed(String value, String why) {
        return new InvalidTorrentException("ws", "bad web seed '" + PathSanitizer.printable(value) + "': " + why);
    }

    /** {@code host:port}, {@code [v6]:port}; returns the canonical text. */
    static String peer(String value) throws InvalidTorrentException {
        String host;
        String port;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0 || close + 1 >= value.length() || value.charAt(close + 1) != ':') {
                throw badPeer(value, "expected [IPv6]:port");
            }
            host = value.substring(1, close);
            port = value.substring(close + 2);
            if (host.isEmpty() || !host.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')
                    || host.indexOf(':') < 0) {
                throw badPeer(value, "not an IPv6 address in brackets");
            }
        } else {
            int colon = value.lastIndexOf(':');
            if (colon <= 0 || value.indexOf(':') != colon) {
                throw badPeer(value, "expected host:port");
            }
            host = value.substring(0, colon);
            port = value.substring(colon + 1);
            if (!host.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '-'))) {
                throw badPeer(value, "host has characters a host name or IPv4 address cannot have");
            }
        }
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw badPeer(value, "port must be 1-65535");
        }
        return value.startsWith("[") ? "[" + host.toLowerCase(Locale.ROOT) + "]:" + Integer.parseInt(port)
                : host + ":" + Integer.parseInt(port);
    }

    private static InvalidTorrentException badPeer(String value, String why) {
        return new InvalidTorrentException("x.pe", "bad peer '" + PathSanitizer.printable(value) + "': " + why);
    }

    /** BEP 53: {@code 0,2,4-6}; expansion is bounded so "0-2147483647" cannot exhaust memory. */
    static List<Integer> selectOnly(String value) throws InvalidTorrentException {
        TreeSet<Integer> out = new TreeSet<>();
        long expanded = 0;
        for (String part : value.split(",", -1)) {
            int dash = part.indexOf('-');
            int from = index(dash < 0 ? part : part.substring(0, dash), value);
            int to = dash < 0 ? from : index(part.substring(dash + 1), value);
            if (to < from) {
                throw new InvalidTorrentException("so", "range '" + PathSanitizer.printable(part)
                        + "' ends before it starts");
            }
            expanded += (long) to - from + 1;
            if (expanded > MAX_SELECTED) {
                throw new InvalidTorrentException("so", "selects more than " + MAX_SELECTED + " files");
            }
            for (int i = from; i <= to; i++) {
                out.add(i);
            }
        }
        return List.copyOf(out);
    }

    private static int index(String s, String whole) throws InvalidTorrentException {
        if (s.isEmpty() || s.length() > 10 || !s.chars().allMatch(c -> c >= '0' && c <= '9')
                || Long.parseLong(s) > Integer.MAX_VALUE) {
            throw new InvalidTorrentException("so", "'" + PathSanitizer.printable(whole)
                    + "' is not a list of file indices and ranges like 0,2,4-6");
        }
        return Integer.parseInt(s);
    }

    private static String ranges(List<Integer> indices) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < indices.size()) {
            int j = i;
            while (j + 1 < indices.size() && indices.get(j + 1) == indices.get(j) + 1) {
                j++;
            }
            sb.append(sb.length() == 0 ? "" : ",").append(indices.get(i));
            if (j > i) {
                sb.append('-').append(indices.get(j));
            }
            i = j + 1;
        }
        return sb.toString();
    }

    static String decode(String s, String where) throws InvalidTorrentException {
        ByteBuffer bytes = ByteBuffer.allocate(s.length() * 3);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (lo < 0) {
                    throw new InvalidTorrentException(where, "bad percent-escape at position " + i);
                }
                bytes.put((byte) (hi << 4 | lo));
                i += 2;
            } else if (c == '+') {
                bytes.put((byte) ' ');
            } else {
                int cp = s.codePointAt(i);
                bytes.put(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp) - 1;
            }
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes.flip());
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new InvalidTorrentException(where, "percent-decoded value is not valid UTF-8");
        }
    }

    static String encode(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || "-._~".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }

    private static void addOnce(List<String> list, String value) {
        if (!value.isEmpty() && !list.contains(value)) {
            list.add(value);
        }
    }
}
