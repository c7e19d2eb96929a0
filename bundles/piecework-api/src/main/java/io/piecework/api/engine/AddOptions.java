package io.piecework.api.engine;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * How to add a torrent.
 *
 * @param downloadDir where the data is or goes (a multi-file torrent gets its own folder in it)
 * @param paused      add without starting
 * @param peers       peers to connect to at once (more can be given later)
 */
public record AddOptions(Path downloadDir, boolean paused, List<InetSocketAddress> peers) {
    public AddOptions {
        peers = List.copyOf(peers);
    }

    public static AddOptions in(Path downloadDir) {
        return new AddOptions(downloadDir, false, List.of());
    }

    public AddOptions withPeers(List<InetSocketAddress> more) {
        return new AddOptions(downloadDir, paused, more);
    }
}
