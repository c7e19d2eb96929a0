package io.piecework.lsd.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The interfaces LSD runs on: the configured ones, or every up, multicast-capable, non-loopback
 * one. IPv4 announces go out on those with an IPv4 address, IPv6 ones (BEP 14's ff15::efc0:988f)
 * on those with an IPv6 address; an interface given as an address literal is used for that
 * address's family only.
 */
final class LsdInterfaces {
    /** The interfaces of each family. */
    record Chosen(List<NetworkInterface> v4, List<NetworkInterface> v6) {
        boolean isEmpty() {
            return v4.isEmpty() && v6.isEmpty();
        }
    }

    private LsdInterfaces() {
    }

    static Chosen choose(List<String> configured) throws IOException {
        List<NetworkInterface> v4 = new ArrayList<>();
        List<NetworkInterface> v6 = new ArrayList<>();
        if (configured.isEmpty()) {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nif.isUp() && nif.supportsMulticast() && !nif.isLoopback()) {
                    add(nif, v4, v6, true, true);
                }
            }
            return new Chosen(v4, v6);
        }
        for (String name : configured) {
            String n = name.trim();
            NetworkInterface nif = byNameOrAddress(n);
            boolean literal4 = n.matches("[0-9.]+");
            boolean literal6 = !literal4 && n.contains(":");
            if (nif == null || (ipv4(nif) == null && ipv6(nif) == null)) {
                throw new IOException("LSD interface '" + name + "' is not an interface with an IP address here");
            }
            add(nif, v4, v6, !literal6, !literal4);
        }
        return new Chosen(v4, v6);
    }

    private static void add(NetworkInterface nif, List<NetworkInterface> v4, List<NetworkInterface> v6, boolean four,
                            boolean six) {
        if (four && ipv4(nif) != null) {
            v4.add(nif);
        }
        if (six && ipv6(nif) != null) {
            v6.add(nif);
        }
    }

    private static NetworkInterface byNameOrAddress(String name) throws SocketException {
        NetworkInterface nif = NetworkInterface.getByName(name);
        if (nif != null || !name.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return nif; // only address literals are looked up: a name never goes to DNS
        }
        try {
            return NetworkInterface.getByInetAddress(InetAddress.getByName(name));
        } catch (IOException e) {
            return null;
        }
    }

    /** The interface's first IPv4 address, or null. */
    static InetAddress ipv4(NetworkInterface nif) {
        for (InetAddress a : Collections.list(nif.getInetAddresses())) {
            if (a instanceof Inet4Address) {
                return a;
            }
        }
        return null;
    }

    /** The interface's first IPv6 address (with its scope), or null. */
    static InetAddress ipv6(NetworkInterface nif) {
        for (InetAddress a : Collections.list(nif.getInetAddresses())) {
            if (a instanceof Inet6Address) {
                return a;
            }
        }
        return null;
    }
}
