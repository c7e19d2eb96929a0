package io.piecework.storage.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A configuration change reaches the running provider (its @Modified) instead of restarting
 * the component, which unbound the storage from the engine and failed every running torrent.
 */
class LiveStorageSettingsTest {
    @TempDir
    Path dir;
    private FileStorageProvider provider;

    @AfterEach
    void close() {
        if (provider != null) {
            provider.close();
        }
    }

    @Test
    void aLowerOpenFileLimitAndMoreHashThreadsApplyWhileRunning() throws Exception {
        provider = new FileStorageProvider(Settings.DEFAULTS.withStateDir(dir.resolve("state")));
        FileHandles handles = provider.handles();
        for (int i = 0; i < 3; i++) {
            Path file = Files.write(dir.resolve("f" + i), new byte[] {1});
            handles.release(handles.acquire(file, false));
        }
        assertEquals(3, handles.openCount());

        provider.apply(Settings.DEFAULTS.withStateDir(dir.resolve("state")).withMaxOpenFiles(1).withHashThreads(3));
        assertEquals(1, handles.openCount(), "idle handles over the new limit are closed at once");
        assertEquals(3, provider.hashing().threads());

        provider.apply(Settings.DEFAULTS.withStateDir(dir.resolve("elsewhere")).withHashThreads(1));
        assertEquals(1, provider.hashing().threads());
        assertEquals(dir.resolve("state"), provider.settings().stateDir(), "the state folder waits for a restart");
    }
}
