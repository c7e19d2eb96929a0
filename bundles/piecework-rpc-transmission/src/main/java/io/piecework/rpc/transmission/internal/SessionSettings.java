package io.piecework.rpc.transmission.internal;

import java.nio.file.Path;

/**
 * The session settings the RPC applies itself, shared by {@code session-set} and
 * {@code torrent-add}. Kept in memory: a restart goes back to the configuration's values.
 */
final class SessionSettings {
    /** Where torrent-add puts data when the request names no download-dir. */
    volatile Path downloadDir;
    /** Whether torrent-add starts a torrent when the request does not say ({@code start-added-torrents}). */
    volatile boolean startAdded = true;

    SessionSettings(Path downloadDir) {
        this.downloadDir = downloadDir;
    }
}
