package io.piecework.lsd.internal;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.text.Untrusted;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * BEP 14 announces as bytes, without sockets: {@code BT-SEARCH * HTTP/1.1} followed by
 * {@code Host}, {@code Port}, one or more {@code Infohash} and an optional {@code cookie}
 * header. Every datagram from the network is untrusted: the parser takes only printable ASCII
 * lines, a bounded packet, a port in range and 40-digit info-hashes, and says what it refused.
 */
final class LsdCodec {
    /** Announces from others larger than one Ethernet frame are refused unread. */
    static final int MAX_PACKET = 1500;
    /** The BEP's advice for what we send: no fragmentation. */
    static final int MAX_SENT = 1400;
    static final int MAX_COOKIE = 64;
    private static final String REQUEST_LINE = "BT-SEARCH * HTTP/1.1";

    /** A parsed announce. {@code cookie} is empty when the sender gave none. */
    record Announce(int port, List<InfoHash> infoHashes, String cookie) {
    }

    /** Why a datagram was not an announce; the message is safe to log. */
    static final class FormatException extends Exception {
        private static final long serialVersionUID = 1L;

        FormatException(String message) {
            super(message);
        }
    }

    private LsdCodec() {
    }

    /**
     * The announces that carry {@code hashes}: as many info-hashes per datagram as fit in
     * {@value #MAX_SENT} bytes, in order.
     */
    static List<byte[]> encode(String host, int port, List<InfoHash> hashes, String cookie) {
        String head = head(host, port);
        String tail = tail(cookie);
        int fit = perDatagram(host, cookie);
        List<byte[]> out = new ArrayList<>();
        for (int from = 0; from < hashes.size(); from += fit) {
            StringBuilder s = new StringBuilder(head);
            for (InfoHash h : hashes.subList(from, Math.min(hashes.size(), from + fit))) {
                s.append("Infohash: ").append(h.hex()).append("\r\n");
            }
            out.add(s.append(tail).toString().getBytes(StandardCharsets.US_ASCII));
        }
        return out;
    }

    /** How many info-hashes fit in one datagram we send (whatever the port). */
    static int perDatagram(String host, String cookie) {
        int perHash = "Infohash: \r\n".length() + 40;
        return Math.max(1, (MAX_SENT - head(host, 65535).length() - tail(cookie).length()) / perHash);
    }

    private static String head(String host, int port) {
        return REQUEST_LINE + "\r\nHost: " + host + "\r\nPort: " + port + "\r\n";
    }

    private static String tail(String cookie) {
        return "cookie: " + cookie + "\r\n\r\n\r\n";
    }

    static Announce parse(byte[] data, int length) throws FormatException {
        if (length > MAX_PACKET) {
            throw new FormatException("announce of " + length + " bytes, more than " + MAX_PACKET);
        }
        for (int i = 0; i < length; i++) {
            int b = data[i] & 0xff;
            if ((b < 0x20 || b > 0x7e) && b != '\r' && b != '\n' && b != '\t') {
                throw new FormatException("announce holds byte 0x" + Integer.toHexString(b) + " at " + i);
            }
        }
        String[] lines = new String(data, 0, length, StandardCharsets.US_ASCII).split("\n", -1);
        if (!strip(lines[0]).equals(REQUEST_LINE)) {
            throw new FormatException("not a BT-SEARCH announce: '" + Untrusted.text(strip(lines[0]), 40) + "'");
        }
        int port = -1;
        String cookie = "";
        List<InfoHash> hashes = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String line = strip(lines[i]);
            if (line.isEmpty()) {
                break; // end of the headers; what follows is ignored, as HTTP would
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new FormatException("header line without a name: '" + Untrusted.text(line, 40) + "'");
            }
            String value = line.substring(colon + 1).trim();
            switch (line.substring(0, colon).trim().toLowerCase(Locale.ROOT)) {
                case "port" -> port = port(value);
                case "infohash" -> hashes.add(infoHash(value));
                case "cookie" -> cookie = value.length() <= MAX_COOKIE ? value : value.substring(0, MAX_COOKIE);
                default -> { } // Host and headers of later versions: not needed, ignored as the BEP asks
            }
        }
        if (port < 0) {
            throw new FormatException("announce without a Port header");
        }
        if (hashes.isEmpty()) {
            throw new FormatException("announce without an Infohash header");
        }
        return new Announce(port, List.copyOf(hashes), cookie);
    }

    private static int port(String value) throws FormatException {
        if (value.isEmpty() || value.length() > 5 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new FormatException("Port '" + Untrusted.text(value, 20) + "' is not a number");
        }
        int port = Integer.parseInt(value);
        if (port < 1 || port > 65535) {
            throw new FormatException("Port " + port + " is out of range");
        }
        return port;
    }

    private static InfoHash infoHash(String value) throws FormatException {
        if (value.length() != 40) {
            throw new FormatException("Infohash of " + value.length() + " characters, not 40 hex digits");
        }
        try {
            return InfoHash.parse(value);
        } catch (IllegalArgumentException e) {
            throw new FormatException(e.getMessage());
        }
    }

    private static String strip(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }
}
