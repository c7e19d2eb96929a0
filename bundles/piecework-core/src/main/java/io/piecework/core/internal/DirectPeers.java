package io.piecework.core.internal;

import io.piecework.api.metainfo.MagnetLink;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The peers a magnet link names itself ({@code x.pe}), dialled before any peer source answers. */
final class DirectPeers {
    private static final Logger LOG = LoggerFactory.getLogger(DirectPeers.class);

    private DirectPeers() {
    }

    /** The {@code x.pe} peers of the link; unparseable ones are skipped. */
    static List<InetSocketAddress> of(MagnetLink magnet) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String pe : magnet.peers()) {
            int colon = pe.lastIndexOf(':');
            if (colon <= 0) {
                continue;
            }
            String host = pe.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            try {
                int port = Integer.parseInt(pe.substring(colon + 1));
                if (port > 0 && port < 65536) {
                    out.add(new InetSocketAddress(host, port));
                }
            } catch (NumberFormatException e) {
                LOG.debug("x.pe {} has no port", pe);
            }
        }
        return out;
    }
}
