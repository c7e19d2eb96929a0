package io.piecework.lsd.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The interfaces LSD runs on: the configured ones, or every up, multicast-capable, non-loopback one. */
final class LsdInterfaces {
    private LsdInterfaces() {
    }

    static List<NetworkInterface> choose(List<String> configured) throws IOException {
        List<NetworkInterface> out = new ArrayList<>();
        if (configured.isEmpty()) {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nif.isUp() && nif.supportsMulticast() && !nif.isLoopback() && ipv4(nif) != null) {
                    out.add(nif);
                }
            }
            return out;
        }
        for (String name : configured) {
            NetworkInterface nif = byNameOrAddress(name.trim());
            if (nif == null || ipv4(nif) == null) {
                throw new IOException("LSD interface '" + name + "' is not an interface with an IPv4 address here");
            }
            out.add(nif);
        }
        return out;
    }

    private static NetworkInterface byNameOrAddress(String name) throws SocketException {
        NetworkInterface nif = NetworkInterface.getByName(name);
        if (nif != null || !name.matches("[0-9.]+")) {
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
}
