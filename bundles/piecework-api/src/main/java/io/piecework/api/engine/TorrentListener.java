package io.piecework.api.engine;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Register as a service (whiteboard) to hear about every torrent. Calls come from engine
 * threads: return quickly and never block.
 */
@ConsumerType
@FunctionalInterface
public interface TorrentListener {
    void onEvent(TorrentEvent event);
}
