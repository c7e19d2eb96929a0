package io.piecework.storage.file.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.storage.StorageException;
import io.piecework.api.storage.TorrentStorage;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;

/** Providers that are closed after each test, and the moves every test makes. */
abstract class StorageFixture {
    static final int BLOCK = 4096;
    private final List<FileStorageProvider> providers = new ArrayList<>();

    FileStorageProvider provider(Settings settings, Disk disk) {
        FileStorageProvider provider = new FileStorageProvider(settings.withSaveDelayMillis(50), disk);
        providers.add(provider);
        return provider;
    }

    @AfterEach
    void closeProviders() {
        providers.forEach(FileStorageProvider::close);
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    static void writePiece(TorrentStorage storage, Torrents.Built torrent, int piece) throws StorageException {
        byte[] bytes = torrent.piece(piece);
        for (int at = 0; at < bytes.length; at += BLOCK) {
            storage.write(piece, at, ByteBuffer.wrap(bytes, at, Math.min(BLOCK, bytes.length - at)));
        }
    }

    static void writeAll(TorrentStorage storage, Torrents.Built torrent) throws StorageException {
        for (int i = 0; i < torrent.metainfo().pieceCount(); i++) {
            writePiece(storage, torrent, i);
        }
    }

    static void verifyAll(TorrentStorage storage) throws Exception {
        for (int i = 0; i < storage.metainfo().pieceCount(); i++) {
            assertTrue(await(storage.verify(i)), "piece " + i + " verifies");
        }
    }

    static void waitFor(BooleanSupplier condition, String what) {
        Awaitility.await(what).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                .atMost(Duration.ofSeconds(10)).until(condition::getAsBoolean);
    }
}
