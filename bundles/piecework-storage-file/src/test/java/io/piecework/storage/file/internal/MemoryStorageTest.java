package io.piecework.storage.file.internal;

import static io.piecework.storage.file.internal.Torrents.Spec.file;
import static io.piecework.storage.file.internal.Torrents.Spec.pad;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.piecework.api.storage.StorageState;
import io.piecework.api.storage.TorrentStorage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MemoryStorageTest {
    private final MemoryStorageProvider provider = new MemoryStorageProvider(1);

    @AfterEach
    void close() {
        provider.close();
    }

    @Test
    void storesVerifiesAndKeepsCompletionAcrossReopen() throws Exception {
        Torrents.Built t = Torrents.multi("mem", 16384, 31, file(20_000, "a"), pad(12_768), file(9_000, "b"));
        TorrentStorage storage = StorageFixture.await(provider.open(t.metainfo(), Path.of("/nowhere")));
        StorageFixture.writeAll(storage, t);
        StorageFixture.verifyAll(storage);
        ByteBuffer back = ByteBuffer.allocate((int) t.metainfo().pieceSize(2));
        storage.read(2, 0, back);
        assertArrayEquals(t.piece(2), back.array());
        storage.close();
        assertEquals(StorageState.CLOSED, storage.state());

        TorrentStorage again = StorageFixture.await(provider.open(t.metainfo(), Path.of("/nowhere")));
        assertEquals(t.metainfo().pieceCount(), again.completedCount());
        StorageFixture.await(again.remove(true));
        TorrentStorage fresh = StorageFixture.await(provider.open(t.metainfo(), Path.of("/nowhere")));
        assertEquals(0, fresh.completedCount());
        assertFalse(StorageFixture.await(fresh.verify(0)));
    }
}
