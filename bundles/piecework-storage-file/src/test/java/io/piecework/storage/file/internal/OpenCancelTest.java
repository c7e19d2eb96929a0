package io.piecework.storage.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.storage.StorageException;
import io.piecework.api.storage.TorrentStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening walks every file of the torrent; a hostile one names hundreds of thousands. Closing
 * (what SIGTERM does through the framework) stops that walk instead of waiting for it.
 */
class OpenCancelTest extends StorageFixture {
    private static final int FILES = 100_000;

    @TempDir
    Path dir;

    @Test
    void closingWhileOpeningStopsCreatingFiles() throws Exception {
        Torrents.Spec[] specs = new Torrents.Spec[FILES + 1];
        for (int i = 0; i < FILES; i++) {
            specs[i] = Torrents.Spec.file(0, "d" + (i / 1000), "f" + i);
        }
        specs[FILES] = Torrents.Spec.file(1, "last");
        Torrents.Built torrent = Torrents.multi("many", 16384, 3, specs);
        FileStorageProvider provider = provider(Settings.DEFAULTS.withStateDir(dir.resolve("states")), Disk.REAL);

        CompletableFuture<TorrentStorage> opening = provider.open(torrent.metainfo(), dir.resolve("down"));
        provider.close();
        assertThrows(Exception.class, () -> await(opening), "the open gave up");
        long created = 0;
        if (Files.exists(dir.resolve("down"))) {
            try (Stream<Path> walk = Files.walk(dir.resolve("down"))) {
                created = walk.filter(Files::isRegularFile).count();
            }
        }
        // Generous: stopping takes at most 256 more files; creating them all is what must not happen.
        assertTrue(created < FILES / 2, created + " of " + FILES + " empty files created after the close");
    }

    @Test
    void anOpenAfterTheProviderClosedIsRefusedNotAnInternalError() throws Exception {
        FileStorageProvider provider = provider(Settings.DEFAULTS.withStateDir(dir.resolve("states")), Disk.REAL);
        provider.close();
        StorageException e = assertThrows(StorageException.class,
                () -> await(provider.open(Torrents.single("x", 16384, 100, 1).metainfo(), dir.resolve("down"))));
        assertEquals(StorageException.Kind.UNAVAILABLE, e.kind(), e.getMessage());
    }
}
