package io.piecework.storage.file.internal;

import static io.piecework.storage.file.internal.Torrents.Spec.file;
import static io.piecework.storage.file.internal.Torrents.Spec.pad;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.storage.FileBlock;
import io.piecework.api.storage.TorrentStorage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Blocks lent out of their files for sending without a copy, and the files kept open for them. */
class FileBlockTest extends StorageFixture {
    @TempDir
    Path dir;

    // Piece 1 (16384-32767) lies in file a; piece 2 straddles a and b; piece 4 lies in padding.
    private final Torrents.Built torrent = Torrents.multi("lend", 16384, 12,
            file(40_000, "a"), file(25_536, "b"), pad(16384), file(20_000, "c"));

    private TorrentStorage complete(Settings settings) throws Exception {
        TorrentStorage storage = await(provider(settings, Disk.REAL).open(torrent.metainfo(), dir));
        writeAll(storage, torrent);
        verifyAll(storage);
        return storage;
    }

    private byte[] readFrom(FileBlock block) throws Exception {
        ByteBuffer into = ByteBuffer.allocate(block.length());
        while (into.hasRemaining()) {
            block.channel().read(into, block.position() + into.position());
        }
        return into.array();
    }

    @Test
    void aBlockInOneFileIsLentWithItsBytes() throws Exception {
        TorrentStorage storage = complete(Settings.DEFAULTS);
        try (FileBlock block = storage.fileBlock(1, 100, 8000).orElseThrow()) {
            assertEquals(16384 + 100, block.position());
            assertArrayEquals(Arrays.copyOfRange(torrent.piece(1), 100, 8100), readFrom(block));
        }
    }

    @Test
    void blocksAcrossFilesInPaddingOrNotVerifiedAreNotLent() throws Exception {
        TorrentStorage storage = complete(Settings.DEFAULTS);
        assertTrue(storage.fileBlock(2, 0, 16384).isEmpty(), "spans a and b");
        assertTrue(storage.fileBlock(4, 0, 16384).isEmpty(), "padding has no file");
        storage.write(0, 0, ByteBuffer.wrap(new byte[16384])); // wrong bytes: piece 0 fails
        assertFalse(await(storage.verify(0)));
        assertTrue(storage.fileBlock(0, 0, 16384).isEmpty(), "only verified data is lent");
        FileBlock inC = storage.fileBlock(5, 0, 4000).orElseThrow();
        assertEquals(0, inC.position(), "c starts after the padding");
        inC.close();
    }

    @Test
    void aLentFileStaysOpenThroughEvictionAndCloseUntilTheBlockIsBack() throws Exception {
        TorrentStorage storage = complete(Settings.DEFAULTS.withMaxOpenFiles(1));
        FileBlock block = storage.fileBlock(1, 0, 16384).orElseThrow();
        ByteBuffer elsewhere = ByteBuffer.allocate(100);
        storage.read(5, 0, elsewhere); // file c needs the only slot
        assertTrue(block.channel().isOpen(), "not evicted while lent");
        storage.close();
        assertTrue(block.channel().isOpen(), "not closed under a send in flight");
        assertArrayEquals(Arrays.copyOfRange(torrent.piece(1), 0, 16384), readFrom(block));
        block.close();
        assertFalse(block.channel().isOpen(), "closed once handed back");
        block.close(); // a second close is harmless
    }
}
