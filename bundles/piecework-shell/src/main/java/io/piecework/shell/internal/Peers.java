package io.piecework.shell.internal;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** {@code HOST:PORT}, {@code --dht-bootstrap HOST:PORT} and {@code --port N} as users type them. */
final class Peers {
    private Peers() {
    }

    /** {@code host:port} or {@code [v6]:port}, resolved now so a bad name is bad input. */
    static InetSocketAddress parse(String text) throws CliException {
        return parse(text, "peer");
    }

    /** As {@link #parse(String)}; {@code what} names the value in errors ("bad WHAT 'x': ..."). */
    static InetSocketAddress parse(String text, String what) throws CliException {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw CliException.badInput("bad " + what + " '" + text + "': expected HOST:PORT");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw CliException.badInput("bad " + what + " '" + text + "': write an IPv6 address as [ADDRESS]:PORT");
        }
        int port = port(text.substring(colon + 1), what + " '" + text + "'");
        if (port == 0) {
            throw CliException.badInput("bad " + what + " '" + text + "': port 0");
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw CliException.badInput("bad " + what + " '" + text + "': unknown host " + host);
        }
        return address;
    }

    /**
     * {@code --dht-bootstrap} values: HOST:PORT as for a peer, and IPv4, as the DHT is. The
     * launcher has already handed them to the DHT's configuration; here they are checked.
     */
    static List<InetSocketAddress> dhtBootstrap(List<String> texts) throws CliException {
        List<InetSocketAddress> nodes = new ArrayList<>();
        for (String t : texts) {
            InetSocketAddress a = parse(t, "--dht-bootstrap");
            if (!(a.getAddress() instanceof Inet4Address)) {
                throw CliException.badInput("bad --dht-bootstrap '" + t + "': the DHT is IPv4 only");
            }
            nodes.add(a);
        }
        return nodes;
    }

    static List<InetSocketAddress> parseAll(List<String> texts) throws CliException {
        List<InetSocketAddress> peers = new ArrayList<>();
        for (String t : texts) {
            peers.add(parse(t));
        }
        return peers;
    }

    /** A TCP port, 0 to 65535. */
    static int port(String text, String what) throws CliException {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw CliException.badInput("bad " + what + ": port must be a number from 0 to 65535, got '" + text + "'");
    }
}
