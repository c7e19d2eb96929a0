package io.piecework.storage.file.internal;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.storage.StorageProvider;
import io.piecework.api.storage.TorrentStorage;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Torrent data in memory, for tests and benchmarks: nothing touches the disk, data is lost
 * with the provider. Only active when configured, so it never competes with the file storage
 * by accident.
 */
@Component(service = StorageProvider.class, property = StorageProvider.NAME_PROPERTY + "=memory",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = MemoryStorageProvider.Config.class)
public final class MemoryStorageProvider implements StorageProvider {

    @ObjectClassDefinition(name = "Piecework memory storage", description = "Torrent data in memory (tests, benchmarks)")
    public @interface Config {
        @AttributeDefinition(description = "Threads hashing pieces; 0 uses half the processors")
        int hashThreads() default 0;
    }

    private final Hashing hashing;
    private final ConcurrentMap<InfoHash, MemoryStorage.Data> data = new ConcurrentHashMap<>();

    @Activate
    public MemoryStorageProvider(Config config) {
        this(config.hashThreads());
    }

    public MemoryStorageProvider(int hashThreads) {
        this.hashing = new Hashing(hashThreads, "piecework-memhash");
    }

    @Override
    public CompletableFuture<TorrentStorage> open(TorrentMetainfo metainfo, Path downloadDir) {
        MemoryStorage.Data bytes = data.computeIfAbsent(metainfo.infoHash(),
                h -> new MemoryStorage.Data(metainfo.pieceCount()));
        return CompletableFuture.completedFuture(new MemoryStorage(this, metainfo, hashing, bytes, downloadDir));
    }

    void discard(InfoHash hash) {
        data.remove(hash);
    }

    @Deactivate
    public void close() {
        hashing.close();
    }
}
