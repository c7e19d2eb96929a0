package io.piecework.api.storage;

import io.piecework.api.metainfo.TorrentMetainfo;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Opens torrents' storage. Registered with the service property {@code storage.name}
 * ("file", "memory"). A provider may go away at any time: its open storages are then closed
 * (completion saved) and the consumer opens them again on the next provider.
 */
@ProviderType
public interface StorageProvider {
    /** Service property naming the provider. */
    String NAME_PROPERTY = "storage.name";

    /**
     * Opens the storage of a torrent whose data lives in (or goes to) {@code downloadDir}: a
     * multi-file torrent in the folder {@code downloadDir/name}, a single file as
     * {@code downloadDir/name}. The future completes once stored completion has been checked
     * against the data (pieces whose files changed are verified again), or fails with a
     * {@link StorageException} when the torrent's paths are unsafe or its state unreadable.
     */
    CompletableFuture<TorrentStorage> open(TorrentMetainfo metainfo, Path downloadDir);
}
